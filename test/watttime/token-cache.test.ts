import { describe, expect, it } from 'vitest';
import type { LoginResult, WattTimeCredentials } from '../../watttime/client';
import { InvalidCredentialsError, TokenRejectedError } from '../../watttime/errors';
import { TokenCache } from '../../watttime/token-cache';
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

  it('hands a failed login to every waiter, caches nothing, and tries again next time', async () => {
    const { login, cache } = setup();
    const waiting = [cache.ensure(), cache.ensure()];
    await settle();
    const refused = new InvalidCredentialsError({ endpoint: '/login', status: 403, detail: 'refused' });
    login.fail(refused);
    for (const w of waiting) await expect(w).rejects.toBe(refused);
    expect(() => cache.current()).toThrow(TokenRejectedError);
    const retry = cache.ensure();
    await settle();
    login.answer();
    await expect(retry).resolves.toMatchObject({ loggedIn: true });
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
