import { describe, expect, it } from 'vitest';
import type { LoginResult, WattTimeCredentials } from '../../watttime/client';
import { InvalidCredentialsError, RateLimitedError, TokenRejectedError, UnavailableError } from '../../watttime/errors';
import { DATA_CALL_TOKEN_MARGIN_MS, FAILED_LOGIN_SHARED_MS, TokenCache } from '../../watttime/token-cache';
import { tokenId } from '../../watttime/token-expiry';

const ALICE: WattTimeCredentials = { username: 'alice', password: 'alice-password' };
const BOB: WattTimeCredentials = { username: 'bob', password: 'bob-password' };
const MINUTE = 60_000;

/** A `login` that answers when told to, so tests control the overlap of concurrent callers. */
function controlledLogin(clock: { now: number }) {
  const pending: { resolve: (r: LoginResult) => void; reject: (e: unknown) => void; username: string }[] = [];
  let issued = 0;
  const client = {
    login: (credentials: WattTimeCredentials): Promise<LoginResult> =>
      new Promise((resolve, reject) => pending.push({ resolve, reject, username: credentials.username })),
  };
  return {
    client,
    pending,
    calls: () => issued + pending.length,
    answer(): string {
      const next = pending.shift();
      if (next === undefined) throw new Error('no login pending');
      issued += 1;
      const token = `${next.username}-token-${issued}`;
      next.resolve({ token, sentAtMs: clock.now });
      return token;
    },
    fail(error: unknown): void {
      const next = pending.shift();
      if (next === undefined) throw new Error('no login pending');
      issued += 1;
      next.reject(error);
    },
  };
}

/** Lets pending promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(account: WattTimeCredentials = ALICE) {
  const clock = { now: Date.parse('2024-06-18T18:00:00Z') };
  const login = controlledLogin(clock);
  const cache = new TokenCache({ client: login.client, account, refreshBufferMs: 5 * MINUTE, now: () => clock.now });
  return { clock, login, cache };
}

describe('TokenCache', () => {
  it('logs in once for many concurrent callers and shares the token', async () => {
    const { clock, login, cache } = setup();
    const results = Array.from({ length: 50 }, () => cache.ensure());
    await settle();
    expect(login.pending).toHaveLength(1);
    const token = login.answer();
    const ensured = await Promise.all(results);
    for (const e of ensured) {
      expect(e).toEqual({ expiresAtMs: clock.now + 30 * MINUTE, tokenId: tokenId(token), loggedIn: true });
    }
    expect(cache.current()).toEqual({ token, expiresAtMs: clock.now + 30 * MINUTE, tokenId: tokenId(token) });
    expect(login.calls()).toBe(1);
  });

  it('keeps a held token until it expires within the buffer', async () => {
    const { clock, login, cache } = setup();
    const first = cache.ensure();
    await settle();
    login.answer();
    await first;
    clock.now += 24 * MINUTE;
    expect(await cache.ensure()).toMatchObject({ loggedIn: false });
    expect(login.calls()).toBe(1);
    clock.now += 1 * MINUTE; // 5 minutes left: inside the buffer
    const second = cache.ensure();
    await settle();
    const token = login.answer();
    expect(await second).toMatchObject({ loggedIn: true, tokenId: tokenId(token) });
    expect(login.calls()).toBe(2);
  });

  it('serves every caller whose validUntilMs the held token covers, so staggered regions share one login', async () => {
    const { clock, login, cache } = setup();
    const first = cache.ensure();
    await settle();
    login.answer();
    const loggedInAt = clock.now;
    await first;
    // Region A wants a token valid 6 minutes past minute 24: the held one ends at 30 → new login.
    clock.now = loggedInAt + 24 * MINUTE;
    const regionA = cache.ensure({ validUntilMs: clock.now + 6 * MINUTE });
    await settle();
    const renewed = login.answer();
    expect(await regionA).toMatchObject({ loggedIn: true, tokenId: tokenId(renewed) });
    // Regions B and C ask seconds later with the same need: the renewed token covers them.
    clock.now += 10_000;
    const later = await Promise.all([
      cache.ensure({ validUntilMs: clock.now + 6 * MINUTE }),
      cache.ensure({ validUntilMs: clock.now + 6 * MINUTE }),
    ]);
    for (const ensured of later) expect(ensured).toMatchObject({ loggedIn: false, tokenId: tokenId(renewed) });
    expect(login.calls()).toBe(2);
  });

  it('logs in again when forced, and a forced call joins a login in flight', async () => {
    const { login, cache } = setup();
    const first = cache.ensure();
    await settle();
    login.answer();
    await first;
    const forced = [cache.ensure({ force: true }), cache.ensure({ force: true }), cache.ensure()];
    await settle();
    expect(login.pending).toHaveLength(1);
    const token = login.answer();
    for (const e of await Promise.all(forced)) expect(e).toMatchObject({ loggedIn: true, tokenId: tokenId(token) });
    expect(login.calls()).toBe(2);
  });

  it('keeps accounts apart: one cache per account', async () => {
    const alice = setup(ALICE);
    const bob = setup(BOB);
    const both = Promise.all([alice.cache.ensure(), bob.cache.ensure()]);
    await settle();
    expect([...alice.login.pending, ...bob.login.pending].map((p) => p.username)).toEqual(['alice', 'bob']);
    const aliceToken = alice.login.answer();
    const bobToken = bob.login.answer();
    await both;
    expect(alice.cache.current().token).toBe(aliceToken);
    expect(bob.cache.current().token).toBe(bobToken);
  });

  it('hands a failed login to every waiter, caches nothing, and tries again once its shared window has passed', async () => {
    const { clock, login, cache } = setup();
    const waiting = [cache.ensure(), cache.ensure()];
    await settle();
    const refused = new InvalidCredentialsError({ endpoint: '/login', status: 403, detail: 'refused' });
    login.fail(refused);
    for (const w of waiting) await expect(w).rejects.toBe(refused);
    expect(() => cache.current()).toThrow(TokenRejectedError);
    clock.now += FAILED_LOGIN_SHARED_MS;
    const retry = cache.ensure();
    await settle();
    login.answer();
    await expect(retry).resolves.toMatchObject({ loggedIn: true });
  });

  it('shares a failed login for 15 s: regions asking meanwhile get its failure, and a worker tries at most one login per window', async () => {
    const { clock, login, cache } = setup();
    const outage = new UnavailableError({ endpoint: '/login', status: 503, detail: 'server error' });
    const start = clock.now;
    // 100 regions, each on its own activity retry backoff (2, 4, 8, 16 s between 5 attempts),
    // starting 0-99 s apart, for as long as /login answers 503: about 2 minutes.
    const attempts = Array.from({ length: 100 }, (_, region) => [0, 2, 6, 14, 30].map((offset) => start + region * 1_000 + offset * 1_000));
    const schedule = attempts.flat().sort((a, b) => a - b);
    const failures: unknown[] = [];
    for (const at of schedule) {
      clock.now = at;
      const ensured = cache.ensure({ force: true }).catch((error: unknown) => failures.push(error));
      await settle();
      if (login.pending.length > 0) login.fail(outage);
      await ensured;
    }
    expect(failures).toHaveLength(500);
    expect(failures.every((failure) => failure === outage)).toBe(true);
    // (99 + 30) s of attempts, one login per started 15 s: 0, 15, …, 120 s.
    expect(login.calls()).toBe(9);

    // /login answers again: the first caller after the window logs in, for everyone.
    clock.now = start + 135_000;
    const recovered = Array.from({ length: 10 }, () => cache.ensure({ force: true }));
    await settle();
    const token = login.answer();
    for (const ensured of await Promise.all(recovered)) expect(ensured).toMatchObject({ loggedIn: true, tokenId: tokenId(token) });
    expect(login.calls()).toBe(10);
  });

  it("holds a failed login's 429 for its Retry-After when that is longer than the shared window", async () => {
    const { clock, login, cache } = setup();
    const limited = new RateLimitedError({ endpoint: '/login', status: 429, detail: 'rate limited', retryAfterMs: 60_000 });
    const first = cache.ensure();
    await settle();
    login.fail(limited);
    await expect(first).rejects.toBe(limited);
    clock.now += 59_999;
    // Answered from the held failure at once, without a new login.
    await expect(cache.ensure()).rejects.toBe(limited);
    expect(login.calls()).toBe(1);
    clock.now += 1;
    const retry = cache.ensure();
    await settle();
    login.answer();
    await expect(retry).resolves.toMatchObject({ loggedIn: true });
    expect(login.calls()).toBe(2);
  });

  it('after a revocation, forced refreshes naming the rejected token share one login, before and after it completes', async () => {
    const { clock, login, cache } = setup();
    const first = cache.ensure();
    await settle();
    const revoked = login.answer();
    await first;
    // WattTime revoked the token: each region's fetch gets a 401 and the cache drops the token.
    cache.invalidate(revoked);
    const before = Array.from({ length: 50 }, () => cache.ensure({ force: true, rejectedTokenId: tokenId(revoked) }));
    await settle();
    expect(login.pending).toHaveLength(1);
    const fresh = login.answer();
    for (const ensured of await Promise.all(before)) expect(ensured).toMatchObject({ loggedIn: true, tokenId: tokenId(fresh) });
    // Regions whose 401 (with the revoked token) arrives after the login completed: the held token is newer.
    clock.now += 2_000;
    const later = Array.from({ length: 50 }, () =>
      cache.ensure({ force: true, rejectedTokenId: tokenId(revoked), validUntilMs: clock.now + 5 * MINUTE }),
    );
    await settle();
    expect(login.calls()).toBe(2);
    for (const ensured of await Promise.all(later)) expect(ensured).toEqual({ expiresAtMs: Date.parse('2024-06-18T18:30:00Z'), tokenId: tokenId(fresh), loggedIn: false });
    expect(login.calls()).toBe(2);
    // The fresh token rejected in turn: a forced refresh naming it logs in again.
    const again = cache.ensure({ force: true, rejectedTokenId: tokenId(fresh) });
    await settle();
    expect(login.pending).toHaveLength(1);
    login.answer();
    await again;
    expect(login.calls()).toBe(3);
  });

  it('after a worker restart, forced refreshes naming the previous process token share one login', async () => {
    const { login, cache } = setup();
    const previous = tokenId('token-of-the-previous-worker-process');
    const waves: Promise<unknown>[] = [];
    for (let wave = 0; wave < 4; wave++) {
      waves.push(...Array.from({ length: 25 }, () => cache.ensure({ force: true, rejectedTokenId: previous })));
      await settle();
      if (login.pending.length > 0) login.answer();
    }
    await Promise.all(waves);
    expect(login.calls()).toBe(1);
  });

  it('current() fails like a 401 without a token or after expiry', async () => {
    const { clock, login, cache } = setup();
    expect(() => cache.current()).toThrow(
      new TokenRejectedError({ endpoint: 'token cache', detail: 'no usable token held for this account' }),
    );
    const first = cache.ensure();
    await settle();
    login.answer();
    await first;
    clock.now += 29 * MINUTE;
    expect(cache.current().token).toBeDefined();
    clock.now += 1 * MINUTE;
    expect(() => cache.current()).toThrow('WattTime token cache: no usable token held for this account');
  });

  it('forDataCall() uses the held token, and logs in once when none is held or it nearly expired', async () => {
    const { clock, login, cache } = setup();
    const waiting = Array.from({ length: 20 }, () => cache.forDataCall());
    await settle();
    expect(login.pending).toHaveLength(1);
    const first = login.answer();
    expect(new Set((await Promise.all(waiting)).map((held) => held.token))).toEqual(new Set([first]));

    clock.now += 30 * MINUTE - DATA_CALL_TOKEN_MARGIN_MS - 1;
    expect((await cache.forDataCall()).token).toBe(first);
    expect(login.calls()).toBe(1);
    clock.now += 1;
    const replacing = cache.forDataCall();
    await settle();
    const second = login.answer();
    expect((await replacing).token).toBe(second);
    expect(login.calls()).toBe(2);
  });

  it('forDataCall() shares a failed login like ensure()', async () => {
    const { login, cache } = setup();
    const calls = [cache.forDataCall(), cache.forDataCall()];
    await settle();
    login.fail(new InvalidCredentialsError({ endpoint: '/login', status: 403, detail: 'refused' }));
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(cache.forDataCall()).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(login.calls()).toBe(1);
  });

  it('invalidate() drops only the token that is still held', async () => {
    const { login, cache } = setup();
    const first = cache.ensure();
    await settle();
    const old = login.answer();
    await first;
    const second = cache.ensure({ force: true });
    await settle();
    const fresh = login.answer();
    await second;
    cache.invalidate(old);
    expect(cache.current().token).toBe(fresh);
    cache.invalidate(fresh);
    expect(() => cache.current()).toThrow(TokenRejectedError);
  });
});

describe('TokenCache with a static WATTTIME_API_TOKEN', () => {
  const STATIC = 'static-token-6c1f0e';
  /** A JWT-shaped token whose `exp` is `expMs`. */
  const jwt = (expMs: number): string =>
    `e30.${Buffer.from(JSON.stringify({ exp: expMs / 1000 })).toString('base64url')}.c2ln`;

  function withStatic(token: string, account: { username: string; password?: string } = ALICE) {
    const clock = { now: Date.parse('2024-06-18T18:00:00Z') };
    const login = controlledLogin(clock);
    const cache = new TokenCache({
      client: login.client,
      account,
      refreshBufferMs: 5 * MINUTE,
      staticToken: token,
      now: () => clock.now,
    });
    return { clock, login, cache };
  }

  it('serves the static token without a login until it nears 30 minutes, then logs in when there is a password', async () => {
    const { clock, login, cache } = withStatic(STATIC);
    const start = clock.now;
    expect(await cache.ensure()).toEqual({ expiresAtMs: start + 30 * MINUTE, tokenId: tokenId(STATIC), loggedIn: false });
    expect(cache.current().token).toBe(STATIC);
    clock.now += 26 * MINUTE;
    const refreshed = cache.ensure();
    await settle();
    const token = login.answer();
    expect(await refreshed).toMatchObject({ tokenId: tokenId(token), loggedIn: true });
    expect(login.calls()).toBe(1);
  });

  it('without a password, keeps using the static token for another lifetime each time, never logging in', async () => {
    const { clock, login, cache } = withStatic(STATIC, { username: 'alice' });
    for (let i = 1; i <= 3; i++) {
      clock.now += 26 * MINUTE;
      expect(await cache.ensure()).toEqual({
        expiresAtMs: clock.now + 30 * MINUTE,
        tokenId: tokenId(STATIC),
        loggedIn: false,
      });
    }
    expect(login.calls()).toBe(0);
  });

  it('without a password, fails for the operator once WattTime rejected the static token, naming the variable but not the token', async () => {
    const { login, cache } = withStatic(STATIC, { username: 'alice' });
    cache.invalidate(STATIC);
    const error = await cache.ensure({ force: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect((error as Error).message).toBe(
      'WattTime token cache: WattTime rejected WATTTIME_API_TOKEN of user "alice"; set a fresh WATTTIME_API_TOKEN, or a WATTTIME_PASSWORD to log in with',
    );
    expect((error as Error).message).not.toContain(STATIC);
    expect(login.calls()).toBe(0);
  });

  it('with a password, logs in after WattTime rejected the static token', async () => {
    const { login, cache } = withStatic(STATIC);
    cache.invalidate(STATIC);
    const ensured = cache.ensure({ force: true });
    await settle();
    login.answer();
    expect(await ensured).toMatchObject({ loggedIn: true });
  });

  it('takes the lifetime of a JWT static token from its exp, and fails without a password once it has passed', async () => {
    const { clock, cache } = withStatic(jwt(Date.parse('2024-06-18T18:10:00Z')), { username: 'alice' });
    expect((await cache.ensure({ validUntilMs: clock.now + MINUTE })).expiresAtMs).toBe(Date.parse('2024-06-18T18:10:00Z'));
    clock.now = Date.parse('2024-06-18T18:11:00Z');
    await expect(cache.ensure()).rejects.toThrow(
      'WATTTIME_API_TOKEN of user "alice" expired at 2024-06-18T18:10:00.000Z; set a fresh WATTTIME_API_TOKEN',
    );
  });

  it('without a password or a static token for the account, fails for the operator', async () => {
    const { cache } = setup({ username: 'bob' } as WattTimeCredentials);
    await expect(cache.ensure()).rejects.toThrow('no password and no WATTTIME_API_TOKEN for user "bob"');
  });
});
