/**
 * WattTimeClient over real HTTP against the WattTime emulator: every endpoint, every error class
 * with its message, and no secret in any error or log line.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/server';
import { DEFAULT_ACCOUNT } from '../../emulator/server';
import { hasEndpointAccess } from '../../watttime/access';
import { WattTimeClient } from '../../watttime/client';
import {
  BadRequestError,
  ForbiddenError,
  InvalidCredentialsError,
  MalformedResponseError,
  OutOfPlanError,
  RateLimitedError,
  TokenRejectedError,
  UnavailableError,
  type WattTimeError,
} from '../../watttime/errors';
import { FIVE_MINUTES_MS } from '../../watttime/historical-chunks';
import { RateLimiter } from '../../watttime/rate-limiter';
import {
  REQUEST,
  capturedLogger,
  type ErrorClass,
  errorRenderings,
  expectFailure,
  expectNoSecrets,
  simulatedClock,
  startTestEmulator,
} from './support';

const DAY_MS = 86_400_000;
const WRONG_PASSWORD = 'wrong-password-do-not-log';

const clock = simulatedClock();
const { logger, lines } = capturedLogger();
/** Every failure seen in this file, checked for secrets at the end. */
const failures: unknown[] = [];
let emulator: RunningEmulator;
let client: WattTimeClient;
let token: string;

async function fails<E extends WattTimeError>(promise: Promise<unknown>, errorClass: ErrorClass<E>, message: RegExp): Promise<E> {
  const error = await expectFailure(promise, errorClass, message);
  failures.push(error);
  return error;
}

const calls = (path: string): number => emulator.control.counters().callsByEndpoint[path] ?? 0;

beforeAll(async () => {
  emulator = await startTestEmulator(clock);
  client = new WattTimeClient({ baseUrl: emulator.url, logger, now: clock.now });
  ({ token } = await client.login(DEFAULT_ACCOUNT));
});

afterEach(() => emulator.control.resetFaults());

afterAll(async () => {
  await client.close();
  await emulator.close();
});

describe('login', () => {
  it('answers a token and the time the request was sent', async () => {
    const before = emulator.control.counters().logins;
    const result = await client.login(DEFAULT_ACCOUNT);
    expect(result.sentAtMs).toBe(clock.nowMs);
    expect(emulator.control.issuedTokens()).toContain(result.token);
    expect(emulator.control.counters().logins).toBe(before + 1);
  });

  it('refused credentials → InvalidCredentialsError', async () => {
    const error = await fails(
      client.login({ username: 'demo', password: WRONG_PASSWORD }),
      InvalidCredentialsError,
      new RegExp(`^WattTime /login answered 403 ${REQUEST}: credentials refused for user "demo": Forbidden: invalid username or password$`),
    );
    expect(error).toMatchObject({ kind: 'WattTimeInvalidCredentials', status: 403, endpoint: '/login' });
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('server trouble → UnavailableError', async () => {
    emulator.control.setFaults({ loginServerErrorRate: 1, serverErrorStatus: 503 });
    await fails(client.login(DEFAULT_ACCOUNT), UnavailableError, new RegExp(`^WattTime /login answered 503 ${REQUEST}: server error$`));
  });

  it('the 101st login in 5 minutes → RateLimitedError with Retry-After', async () => {
    const account = { username: 'hammer', password: 'hammer-password', regions: [] };
    emulator.control.addAccount(account);
    // A client without our own login budget, to reach the server's.
    const unguarded = new WattTimeClient({
      baseUrl: emulator.url,
      logger,
      now: clock.now,
      limiters: {
        calls: new RateLimiter({ limit: 1_000, windowMs: 1 }),
        logins: new RateLimiter({ limit: 1_000, windowMs: 1 }),
      },
    });
    try {
      for (let i = 0; i < 100; i++) await unguarded.login(account);
      const error = await fails(
        unguarded.login(account),
        RateLimitedError,
        new RegExp(`^WattTime /login answered 429 ${REQUEST}: rate limited; retry after 300 s$`),
      );
      expect(error.retryAfterMs).toBe(300_000);
    } finally {
      await unguarded.close();
    }
  });
});

describe('data endpoints', () => {
  it('signal-index: one percentile point for the current period', async () => {
    const index = await client.signalIndex(token, { region: 'CAISO_NORTH', signalType: 'co2_moer' });
    expect(index.data).toHaveLength(1);
    expect(index.data[0]?.pointTime).toEqual(new Date('2024-06-18T18:40:00Z'));
    expect(index.data[0]?.value).toBeGreaterThanOrEqual(0);
    expect(index.data[0]?.value).toBeLessThanOrEqual(100);
    expect(index.meta).toMatchObject({ region: 'CAISO_NORTH', signalType: 'co2_moer', units: 'percentile', warnings: [] });
  });

  it('forecast: horizon_hours × 12 points from generated_at, the first being the current period', async () => {
    const forecast = await client.forecast(token, { region: 'CAISO_NORTH', signalType: 'co2_moer', horizonHours: 2 });
    expect(forecast.data).toHaveLength(24);
    expect(forecast.meta.generatedAt).toEqual(new Date('2024-06-18T18:40:00Z'));
    expect(forecast.data[0]?.pointTime).toEqual(forecast.meta.generatedAt);
    expect(forecast.data[1]?.pointTime.getTime()).toBe(forecast.meta.generatedAt.getTime() + FIVE_MINUTES_MS);
    expect(forecast.meta).toMatchObject({ units: 'lbs_co2_per_mwh', model: { date: '2023-03-01' } });
    const now = await client.forecast(token, { region: 'CAISO_NORTH', signalType: 'co2_moer', horizonHours: 0 });
    expect(now.data).toHaveLength(1);
    const byDefault = await client.forecast(token, { region: 'CAISO_NORTH', signalType: 'co2_moer' });
    expect(byDefault.data).toHaveLength(24 * 12);
  });

  it('historical: 25 days in exactly 3 requests, every 5-minute point exactly once', async () => {
    const end = new Date('2024-06-18T18:40:00Z');
    const start = new Date(end.getTime() - 25 * DAY_MS);
    const before = calls('/v3/historical');
    const history = await client.historical(token, { region: 'CAISO_NORTH', signalType: 'co2_moer', start, end });
    expect(calls('/v3/historical') - before).toBe(3);
    const times = history.data.map((p) => p.pointTime.getTime());
    expect(times).toHaveLength(25 * 288 + 1);
    expect(new Set(times).size).toBe(times.length);
    times.forEach((t, i) => expect(t).toBe(start.getTime() + i * FIVE_MINUTES_MS));
    expect(history.data[0]?.lastUpdated).toBeInstanceOf(Date);
    expect(history.meta).toMatchObject({ region: 'CAISO_NORTH', units: 'lbs_co2_per_mwh', warnings: [] });
  });

  it('historical: an off-grid start still gets each point once', async () => {
    const start = new Date('2024-05-20T07:03:31Z');
    const end = new Date('2024-06-02T00:00:00Z');
    const history = await client.historical(token, { region: 'CAISO_NORTH', signalType: 'co2_moer', start, end });
    const times = history.data.map((p) => p.pointTime.getTime());
    const first = Date.parse('2024-05-20T07:05:00Z');
    expect(times).toEqual(Array.from({ length: (end.getTime() - first) / FIVE_MINUTES_MS + 1 }, (_, i) => first + i * FIVE_MINUTES_MS));
  });

  it.each([
    ['a reversed range', new Date(2), new Date(1)],
    ['an invalid date', new Date(NaN), new Date(1)],
  ])('historical: %s → BadRequestError without a request', async (_name, start, end) => {
    const before = calls('/v3/historical');
    await fails(
      client.historical(token, { region: 'CAISO_NORTH', signalType: 'co2_moer', start, end }),
      BadRequestError,
      /^WattTime \/v3\/historical: start and end must be valid dates with start <= end$/,
    );
    expect(calls('/v3/historical')).toBe(before);
  });

  it('my-access: the plan, readable with hasEndpointAccess', async () => {
    const access = await client.myAccess(token);
    expect(hasEndpointAccess(access, { signalType: 'co2_moer', region: 'CAISO_NORTH', endpoint: '/v3/forecast' })).toBe(true);
    expect(hasEndpointAccess(access, { signalType: 'co2_moer', region: 'PJM_DC', endpoint: '/v3/signal-index' })).toBe(true);
    expect(hasEndpointAccess(access, { signalType: 'co2_moer', region: 'PJM_DC', endpoint: '/v3/forecast' })).toBe(false);
  });
});

describe('data call failures', () => {
  it('403 out of plan → OutOfPlanError, and no login', async () => {
    const before = emulator.control.counters();
    const error = await fails(
      client.forecast(token, { region: 'PJM_DC', signalType: 'co2_moer' }),
      OutOfPlanError,
      new RegExp(
        `^WattTime /v3/forecast answered 403 ${REQUEST}: Invalid scope: v3/forecast for region PJM_DC and signal_type co2_moer is not in your plan$`,
      ),
    );
    expect(error).toMatchObject({ kind: 'WattTimeOutOfPlan', status: 403 });
    const after = emulator.control.counters();
    expect([after.logins, after.failedLogins]).toEqual([before.logins, before.failedLogins]);
  });

  it('403 from a proxy or CDN (HTML) → ForbiddenError naming the host and quoting the page, not OutOfPlanError', async () => {
    emulator.control.setFaults({ forbiddenRate: 1 });
    const host = new URL(emulator.url).host;
    const error = await fails(
      client.forecast(token, { region: 'CAISO_NORTH', signalType: 'co2_moer' }),
      ForbiddenError,
      new RegExp(
        `^WattTime /v3/forecast answered 403 ${REQUEST}: refused by ${host.replaceAll('.', '\\.')} without WattTime's "Invalid scope" \\(a proxy or CDN page\\?\\): ` +
          '"403 Forbidden Access denied Request blocked by the edge firewall\\. Ray ID: 8f1c2a"$',
      ),
    );
    expect(error).toMatchObject({ kind: 'WattTimeForbidden', status: 403 });
  });

  it('400 → BadRequestError with the server message', async () => {
    await fails(
      client.signalIndex(token, { region: 'NOPE', signalType: 'co2_moer' }),
      BadRequestError,
      new RegExp(`^WattTime /v3/signal-index answered 400 ${REQUEST}: Unknown region: NOPE$`),
    );
  });

  it('422 → BadRequestError with the server message', async () => {
    await fails(
      client.forecast(token, { region: 'CAISO_NORTH', signalType: 'co2_moer', horizonHours: 100 }),
      BadRequestError,
      new RegExp(`^WattTime /v3/forecast answered 422 ${REQUEST}: horizon_hours must be a whole number from 0 to 72: 100$`),
    );
  });

  it('401 for an unknown token → TokenRejectedError', async () => {
    await fails(
      client.myAccess('not-a-token'),
      TokenRejectedError,
      new RegExp(`^WattTime /v3/my-access answered 401 ${REQUEST}: token rejected$`),
    );
  });

  it('401 for a token revoked server-side → TokenRejectedError', async () => {
    const { token: doomed } = await client.login(DEFAULT_ACCOUNT);
    await client.signalIndex(doomed, { region: 'CAISO_NORTH', signalType: 'co2_moer' });
    emulator.control.revokeAllTokens();
    await fails(
      client.signalIndex(doomed, { region: 'CAISO_NORTH', signalType: 'co2_moer' }),
      TokenRejectedError,
      new RegExp(`^WattTime /v3/signal-index answered 401 ${REQUEST}: token rejected$`),
    );
    ({ token } = await client.login(DEFAULT_ACCOUNT));
  });

  it('401 for an expired token → TokenRejectedError', async () => {
    const { token: shortLived } = await client.login(DEFAULT_ACCOUNT);
    clock.nowMs += 30 * 60_000;
    await fails(
      client.forecast(shortLived, { region: 'CAISO_NORTH', signalType: 'co2_moer' }),
      TokenRejectedError,
      new RegExp(`^WattTime /v3/forecast answered 401 ${REQUEST}: token rejected$`),
    );
    ({ token } = await client.login(DEFAULT_ACCOUNT));
  });

  it('429 → RateLimitedError carrying Retry-After', async () => {
    emulator.control.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });
    const error = await fails(
      client.forecast(token, { region: 'CAISO_NORTH', signalType: 'co2_moer' }),
      RateLimitedError,
      new RegExp(`^WattTime /v3/forecast answered 429 ${REQUEST}: rate limited; retry after 7 s$`),
    );
    expect(error).toMatchObject({ kind: 'WattTimeRateLimited', retryAfterMs: 7_000 });
  });

  it.each([500, 502, 503, 504])('%i with an HTML body → UnavailableError', async (status) => {
    emulator.control.setFaults({ serverErrorRate: 1, serverErrorStatus: status });
    await fails(
      client.historical(token, {
        region: 'CAISO_NORTH',
        signalType: 'co2_moer',
        start: new Date('2024-06-18T00:00:00Z'),
        end: new Date('2024-06-18T01:00:00Z'),
      }),
      UnavailableError,
      new RegExp(`^WattTime /v3/historical answered ${status} ${REQUEST}: server error$`),
    );
  });

  it('a body that is not JSON, then JSON of the wrong shape → MalformedResponseError naming the field', async () => {
    emulator.control.setFaults({ malformedRate: 1 });
    const params = { region: 'CAISO_NORTH', signalType: 'co2_moer' };
    await fails(
      client.forecast(token, params),
      MalformedResponseError,
      new RegExp(`^WattTime /v3/forecast answered 200 ${REQUEST}: malformed response: body is not JSON$`),
    );
    await fails(
      client.signalIndex(token, params),
      MalformedResponseError,
      new RegExp(`^WattTime /v3/signal-index answered 200 ${REQUEST}: malformed response: data: Invalid input: expected array, received undefined$`),
    );
  });

  it('no answer in time → UnavailableError', async () => {
    const impatient = new WattTimeClient({ baseUrl: emulator.url, logger, now: clock.now, headersTimeout: 100 });
    // undici checks this timeout on a coarse (~1 s) timer, so the latency must be well above that.
    emulator.control.setFaults({ latencyMs: 3_000 });
    try {
      await fails(
        impatient.myAccess(token),
        UnavailableError,
        /^WattTime \/v3\/my-access: unreachable \(UND_ERR_HEADERS_TIMEOUT\): Headers Timeout Error$/,
      );
    } finally {
      await impatient.close();
    }
  });

  it('nobody listening → UnavailableError', async () => {
    const closed = await startTestEmulator(clock);
    const url = closed.url;
    await closed.close();
    const nowhere = new WattTimeClient({ baseUrl: url, logger, now: clock.now });
    try {
      await fails(nowhere.login(DEFAULT_ACCOUNT), UnavailableError, /^WattTime \/login: unreachable \(ECONNREFUSED\): connect ECONNREFUSED/);
      await fails(nowhere.forecast(token, { region: 'CAISO_NORTH', signalType: 'co2_moer' }), UnavailableError, /^WattTime \/v3\/forecast: unreachable \(ECONNREFUSED\)/);
    } finally {
      await nowhere.close();
    }
  });
});

describe('secrets', () => {
  it('appear in no error message, String(error), error JSON or log line', () => {
    const errors = failures.filter((f) => f instanceof Error);
    expect(errors.length).toBeGreaterThanOrEqual(20);
    const basic = (password: string): string => Buffer.from(`demo:${password}`).toString('base64');
    const secrets = [
      DEFAULT_ACCOUNT.password,
      WRONG_PASSWORD,
      'hammer-password',
      basic(DEFAULT_ACCOUNT.password),
      basic(WRONG_PASSWORD),
      ...emulator.control.issuedTokens(),
    ];
    expect(emulator.control.issuedTokens().length).toBeGreaterThan(100);
    expect(lines.length).toBeGreaterThan(50);
    expectNoSecrets([...errors.flatMap(errorRenderings), ...lines], secrets);
  });
});
