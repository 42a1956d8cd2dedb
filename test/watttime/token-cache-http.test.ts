/**
 * TokenCache with a real WattTimeClient against the WattTime emulator: single-flight logins
 * counted by the emulator, 401 → refresh, 403 → no login, and no secret in errors or logs.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, type RunningEmulator } from '../../emulator/server';
import { WattTimeClient } from '../../watttime/client';
import {
  InvalidCredentialsError,
  OutOfPlanError,
  TokenRejectedError,
  UnavailableError,
  type WattTimeError,
} from '../../watttime/errors';
import { WattTimeSession } from '../../watttime/session';
import { FAILED_LOGIN_SHARED_MS, TokenCache } from '../../watttime/token-cache';
import { tokenId } from '../../watttime/token-expiry';
import {
  REQUEST,
  capturedLogger,
  errorRenderings,
  expectFailure,
  expectNoSecrets,
  simulatedClock,
  startTestEmulator,
  type ErrorClass,
} from './support';

const MINUTE = 60_000;
const BUFFER_MS = 5 * MINUTE;
const CAISO = { region: 'CAISO_NORTH', signalType: 'co2_moer' };

const clock = simulatedClock();
const { logger, lines } = capturedLogger();
const failures: unknown[] = [];
let emulator: RunningEmulator;
let client: WattTimeClient;
let cache: TokenCache;

async function fails<E extends WattTimeError>(promise: Promise<unknown>, errorClass: ErrorClass<E>, message: RegExp): Promise<E> {
  const error = await expectFailure(promise, errorClass, message);
  failures.push(error);
  return error;
}

const logins = (): number => emulator.control.counters().logins;

beforeAll(async () => {
  emulator = await startTestEmulator(clock);
  client = new WattTimeClient({ baseUrl: emulator.url, logger, now: clock.now });
});

beforeEach(() => {
  // A fresh cache per test, so each starts without a token.
  cache = new TokenCache({ client, account: DEFAULT_ACCOUNT, refreshBufferMs: BUFFER_MS, now: clock.now });
  emulator.control.resetCounters();
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

describe('TokenCache against the emulator', () => {
  it('50 concurrent ensure calls after expiry cause exactly one login', async () => {
    const first = await cache.ensure();
    expect(first).toMatchObject({ loggedIn: true, expiresAtMs: clock.nowMs + 30 * MINUTE });
    const expired = cache.current().token;
    clock.nowMs += 31 * MINUTE;
    await fails(
      client.signalIndex(expired, CAISO),
      TokenRejectedError,
      new RegExp(`^WattTime /v3/signal-index answered 401 ${REQUEST}: token rejected$`),
    );
    await fails(
      Promise.resolve().then(() => cache.current()),
      TokenRejectedError,
      /^WattTime token cache: no usable token held for this account$/,
    );
    emulator.control.resetCounters();

    const ensured = await Promise.all(Array.from({ length: 50 }, () => cache.ensure()));

    expect(logins()).toBe(1);
    expect(emulator.control.counters().callsByEndpoint['/login']).toBe(1);
    const held = cache.current();
    for (const e of ensured) {
      expect(e).toEqual({ expiresAtMs: clock.nowMs + 30 * MINUTE, tokenId: tokenId(held.token), loggedIn: true });
    }
    expect(held.tokenId).not.toBe(first.tokenId);
    await expect(client.signalIndex(held.token, CAISO)).resolves.toMatchObject({ meta: { units: 'percentile' } });
  });

  it('current() without a token fails like a 401', async () => {
    const error = await fails(
      Promise.resolve().then(() => cache.current()),
      TokenRejectedError,
      /^WattTime token cache: no usable token held for this account$/,
    );
    expect(error.kind).toBe('WattTimeTokenRejected');
  });

  it('a token revoked server-side → 401 → TokenRejectedError; one forced login serves every caller', async () => {
    await cache.ensure();
    const revoked = cache.current().token;
    emulator.control.revokeAllTokens();
    await fails(
      client.forecast(revoked, CAISO),
      TokenRejectedError,
      new RegExp(`^WattTime /v3/forecast answered 401 ${REQUEST}: token rejected$`),
    );
    cache.invalidate(revoked);
    await fails(
      Promise.resolve().then(() => cache.current()),
      TokenRejectedError,
      /no usable token held for this account/,
    );
    const before = logins();
    const refreshed = await Promise.all(Array.from({ length: 20 }, () => cache.ensure({ force: true })));
    expect(logins() - before).toBe(1);
    expect(new Set(refreshed.map((r) => r.tokenId)).size).toBe(1);
    const fresh = cache.current().token;
    expect(fresh).not.toBe(revoked);
    await expect(client.forecast(fresh, CAISO)).resolves.toMatchObject({ meta: { region: 'CAISO_NORTH' } });
  });

  it('a 403 never triggers a login', async () => {
    await cache.ensure();
    emulator.control.resetCounters();
    for (let i = 0; i < 3; i++) {
      await fails(
        client.forecast(cache.current().token, { region: 'PJM_DC', signalType: 'co2_moer' }),
        OutOfPlanError,
        new RegExp(`^WattTime /v3/forecast answered 403 ${REQUEST}: Invalid scope: `),
      );
      expect(await cache.ensure()).toMatchObject({ loggedIn: false });
    }
    const counters = emulator.control.counters();
    expect(counters.logins + counters.failedLogins).toBe(0);
    expect(counters.callsByEndpoint['/login']).toBeUndefined();
  });

  it('refused credentials reach every concurrent caller from one login attempt', async () => {
    const wrong = { username: DEFAULT_ACCOUNT.username, password: 'not-the-password' };
    const wrongCache = new TokenCache({ client, account: wrong, refreshBufferMs: BUFFER_MS, now: clock.now });
    const attempts = Array.from({ length: 10 }, () => wrongCache.ensure());
    for (const attempt of attempts) {
      await fails(
        attempt,
        InvalidCredentialsError,
        new RegExp(`^WattTime /login answered 403 ${REQUEST}: credentials refused for user "demo": Forbidden: invalid username or password$`),
      );
    }
    expect(emulator.control.counters().failedLogins).toBe(1);
  });

  it('secrets appear in no error and no log line', () => {
    const errors = failures.filter((f) => f instanceof Error);
    expect(errors.length).toBeGreaterThanOrEqual(15);
    expectNoSecrets(
      [...errors.flatMap(errorRenderings), ...lines],
      [DEFAULT_ACCOUNT.password, 'not-the-password', ...emulator.control.issuedTokens()],
    );
  });
});

describe('WattTimeSession against the emulator, many regions at once', () => {
  const regions = Array.from({ length: 20 }, (_, i) => `REGION_${i}`);
  let session: WattTimeSession;

  beforeEach(() => {
    session = new WattTimeSession({ account: DEFAULT_ACCOUNT, baseUrl: emulator.url, logger, now: clock.now });
  });

  afterEach(async () => {
    emulator.control.resetFaults();
    await session.close();
  });

  /**
   * Every region's fetch is refused (401), then each region's workflow schedules
   * its forced refresh naming the token id it held: ten at once, overlapping the login, and ten
   * one by one after it completed. Then each retries its fetch.
   */
  async function refusedThenRefreshed(heldTokenId: string): Promise<void> {
    const refused = await Promise.all(regions.map(() => session.forecast(CAISO).catch((error: unknown) => error)));
    expect(refused.every((error) => error instanceof TokenRejectedError)).toBe(true);
    const force = (): Promise<unknown> =>
      session.ensureToken({ force: true, validUntilMs: clock.nowMs + BUFFER_MS, rejectedTokenId: heldTokenId });
    await Promise.all(regions.slice(0, 10).map(force));
    for (const _region of regions.slice(10)) {
      clock.nowMs += 1_000;
      expect(await force()).toMatchObject({ loggedIn: false });
    }
    await Promise.all(regions.map(() => session.forecast(CAISO)));
  }

  it('a revocation costs one login for 20 regions, whether their refreshes come before or after that login completes', async () => {
    const { tokenId: held } = await session.ensureToken();
    emulator.control.revokeAllTokens();
    emulator.control.resetCounters();
    await refusedThenRefreshed(held);
    const counters = emulator.control.counters();
    expect(counters.logins).toBe(1);
    expect(counters.answersByStatus['401']).toBe(20);
    expect(counters.callsByEndpoint['/v3/forecast']).toBe(40);
  });

  it('after a worker restart (no token held), 20 regions\' fetches share one login, which refreshes naming the old token reuse', async () => {
    const { tokenId: previousProcessToken } = await session.ensureToken();
    await session.close();
    session = new WattTimeSession({ account: DEFAULT_ACCOUNT, baseUrl: emulator.url, logger, now: clock.now });
    emulator.control.resetCounters();
    await Promise.all(regions.map(() => session.forecast(CAISO)));
    for (const _region of regions) {
      clock.nowMs += 1_000;
      const refreshed = await session.ensureToken({ force: true, validUntilMs: clock.nowMs + BUFFER_MS, rejectedTokenId: previousProcessToken });
      expect(refreshed).toMatchObject({ loggedIn: false, tokenId: session.heldTokenId() });
    }
    const counters = emulator.control.counters();
    expect(counters.logins).toBe(1);
    expect(counters.answersByStatus['401'] ?? 0).toBe(0);
    expect(counters.callsByEndpoint['/v3/forecast']).toBe(20);
  });

  // 9 regions keep the unshared attempts (90) inside the client's own budget of 100 logins per 5 minutes.
  it.each([2, 9])('while /login answers 503, %i regions on their own retry backoff make one failed login per 15 s', async (count) => {
    clock.nowMs += 10 * MINUTE;
    emulator.control.setFaults({ loginServerErrorRate: 1 });
    emulator.control.resetCounters();
    const start = clock.nowMs;
    // Each region's activity retries 5 times (2, 4, 8, 16 s apart), then tries again at its next
    // fetch 60 s later; the regions start 1 s apart. 108 s in all, as in the fault run that found it.
    const attempts = regions
      .slice(0, count)
      .flatMap((_, region) => [0, 2, 6, 14, 30, 60, 62, 66, 74, 90].map((offset) => start + (region + offset) * 1_000))
      .filter((at) => at <= start + 108_000)
      .sort((a, b) => a - b);
    const failed: unknown[] = [];
    for (const at of attempts) {
      clock.nowMs = at;
      await session.ensureToken({ force: true }).catch((error: unknown) => failed.push(error));
    }
    expect(failed.length).toBe(attempts.length);
    expect(failed.every((error) => error instanceof UnavailableError)).toBe(true);
    const counters = emulator.control.counters();
    // Logins at 0, 15, 30, 60, 75 and 90 s: at most one per 15 s window (8 in 108 s), however
    // many regions and retries; unshared, every attempt was a login (20 and 90).
    expect(counters.failedLogins).toBe(6);
    expect(counters.failedLogins).toBeLessThanOrEqual(Math.ceil(108_001 / FAILED_LOGIN_SHARED_MS));
    expect(counters.logins).toBe(0);
  });
});
