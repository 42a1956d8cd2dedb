/**
 * TokenCache with a real WattTimeClient against the WattTime emulator: single-flight logins
 * counted by the emulator, 401 → refresh, 403 → no login, and no secret in errors or logs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, type RunningEmulator } from '../../emulator/server';
import { WattTimeClient } from '../../watttime/client';
import {
  InvalidCredentialsError,
  OutOfPlanError,
  TokenRejectedError,
  type WattTimeError,
} from '../../watttime/errors';
import { TokenCache } from '../../watttime/token-cache';
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
