import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../common/failure-types';
import { tokenId } from '../../watttime/token-expiry';
import { freePort } from '../../servers/free-port';
import { ACCOUNT, INFLUX_TOKEN, failureOf, startHarness, type Harness } from './support';

const FETCH = { region: 'CAISO_NORTH', signalType: 'co2_moer', forecastHorizonHours: 2 };

async function failedFetch(harness: Harness): Promise<ApplicationFailure> {
  const failure = await failureOf(harness.activities.fetchAndStore(FETCH));
  expect(failure).toBeInstanceOf(ApplicationFailure);
  return failure as ApplicationFailure;
}

/** A harness holding a token whose plan is already cached, so faults hit /v3/forecast and /v3/signal-index. */
async function readyHarness(): Promise<Harness> {
  const harness = await startHarness();
  await harness.activities.ensureToken({ force: false });
  await harness.activities.fetchAndStore(FETCH);
  return harness;
}

/** A harness holding a token, writing to an InfluxDB port nothing listens on. */
async function harnessWithoutInflux(): Promise<{ harness: Harness; port: number }> {
  const port = await freePort();
  const harness = await startHarness({ influxUrl: `http://127.0.0.1:${port}` });
  await harness.activities.ensureToken({ force: false });
  return { harness, port };
}

describe('fetchAndStore failures', () => {
  it('without a held token logs in once for all concurrent fetches (a second worker, or after a restart)', async () => {
    const harness = await startHarness();

    const results = await Promise.all(Array.from({ length: 5 }, () => harness.activities.fetchAndStore(FETCH)));
    expect(results.map((r) => r.forecastAvailable)).toEqual([true, true, true, true, true]);
    const { logins, callsByEndpoint } = harness.emulator.control.counters();
    expect(logins).toBe(1);
    expect(callsByEndpoint).toMatchObject({ '/v3/forecast': 5, '/v3/signal-index': 5 });

    // The workflow's next refresh finds that token and needs no login of its own.
    const ensured = await harness.activities.ensureToken({ force: false });
    expect(Object.keys(ensured).sort()).toEqual(['expiresAtMs', 'loggedIn', 'tokenId']);
    expect(ensured).toMatchObject({ loggedIn: false, tokenId: harness.session.heldTokenId() });
    expect(harness.emulator.control.counters().logins).toBe(1);
  });

  it('drops a token WattTime revoked, and recovers after a forced refresh', async () => {
    const harness = await readyHarness();
    const [revoked] = harness.emulator.control.issuedTokens();
    harness.emulator.control.revokeAllTokens();

    const failure = await failedFetch(harness);

    expect(failure).toMatchObject({ type: FailureType.TokenRejected, nonRetryable: true });
    expect(harness.session.heldTokenId()).toBeNull();
    const refreshed = await harness.activities.ensureToken({ force: true });
    expect(refreshed.loggedIn).toBe(true);
    expect(harness.session.heldTokenId()).not.toBe(tokenId(revoked ?? ''));
    await expect(harness.activities.fetchAndStore(FETCH)).resolves.toMatchObject({ forecastAvailable: true });
  });

  it('reports a WattTime 5xx as retryable WattTimeUnavailable', async () => {
    const harness = await readyHarness();
    harness.emulator.control.setFaults({ serverErrorRate: 1, serverErrorStatus: 502 });

    const failure = await failedFetch(harness);

    expect(failure).toMatchObject({ type: FailureType.Unavailable, nonRetryable: false });
    expect(failure.message).toMatch(/answered 502/);
    // Server trouble is not a token problem: the token stays.
    expect(harness.session.heldTokenId()).not.toBeNull();
  });

  it('passes a 429 Retry-After on as the next retry delay', async () => {
    const harness = await readyHarness();
    harness.emulator.control.setFaults({ rateLimitRate: 1, retryAfterSeconds: 7 });

    const failure = await failedFetch(harness);

    expect(failure).toMatchObject({ type: FailureType.RateLimited, nonRetryable: false, nextRetryDelay: 7_000 });
  });

  it('reports a malformed answer as non-retryable WattTimeMalformedResponse', async () => {
    const harness = await readyHarness();
    harness.emulator.control.setFaults({ malformedRate: 1 });

    const failure = await failedFetch(harness);

    expect(failure).toMatchObject({ type: FailureType.MalformedResponse, nonRetryable: true });
    expect(failure.message).toMatch(/malformed response/);
  });

  it('reports an unreachable InfluxDB as retryable InfluxDBUnavailable with a readable message', async () => {
    const { harness, port } = await harnessWithoutInflux();
    const { reading } = await harness.activities.fetchAndStore(FETCH);

    const failure = await failureOf(harness.activities.storeHeld({ region: FETCH.region, signalType: FETCH.signalType, readings: [reading] }));

    expect(failure).toMatchObject({ type: FailureType.StorageUnavailable, nonRetryable: false });
    expect((failure as ApplicationFailure).message).toMatch(
      new RegExp(`^InfluxDB http://127\\.0\\.0\\.1:${port} bucket "activities_\\w+": write of carbon_intensity failed: unreachable: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`),
    );
  });

  it('reports an InfluxDB that refuses the write (no such database) as non-retryable InfluxDBRejected naming the bucket', async () => {
    const harness = await startHarness({ bucket: 'no_such_database' });
    await harness.activities.ensureToken({ force: false });
    const { reading } = await harness.activities.fetchAndStore(FETCH);

    const failure = await failureOf(harness.activities.storeHeld({ region: FETCH.region, signalType: FETCH.signalType, readings: [reading] }));

    expect(failure).toMatchObject({ type: FailureType.StorageRejected, nonRetryable: true });
    expect((failure as ApplicationFailure).message).toMatch(/bucket "no_such_database" rejected the write of carbon_intensity: bucket missing: .*\(answered 404: database not found/);
  });

  it('keeps the password, every token and the InfluxDB token out of failures and logs', async () => {
    const failures: unknown[] = [];
    const harnesses: Harness[] = [];
    const collect = async (harness: Harness, call: Promise<unknown>): Promise<void> => {
      harnesses.push(harness);
      failures.push(await failureOf(call));
    };

    const wrongPassword = await startHarness({ credentials: { username: ACCOUNT.username, password: `${ACCOUNT.password}-wrong` } });
    await collect(wrongPassword, wrongPassword.activities.ensureToken({ force: true }));
    // No token held: the fetch logs in itself, and the refused login is its failure.
    const wrongPasswordFetch = await startHarness({ credentials: { username: ACCOUNT.username, password: `${ACCOUNT.password}-wrong` } });
    await collect(wrongPasswordFetch, wrongPasswordFetch.activities.fetchAndStore(FETCH));
    const revoked = await readyHarness();
    revoked.emulator.control.revokeAllTokens();
    await collect(revoked, revoked.activities.fetchAndStore(FETCH));
    for (const faults of [{ serverErrorRate: 1 }, { rateLimitRate: 1 }, { malformedRate: 1 }]) {
      const faulty = await readyHarness();
      faulty.emulator.control.setFaults(faults);
      await collect(faulty, faulty.activities.fetchAndStore(FETCH));
    }
    const outOfPlan = await readyHarness();
    await collect(outOfPlan, outOfPlan.activities.fetchAndStore({ ...FETCH, region: 'GB', signalType: 'health_damage' }));
    const { harness: noInflux } = await harnessWithoutInflux();
    // The fetch succeeds and says why its reading was not stored; holding it again fails.
    const unstored = await noInflux.activities.fetchAndStore(FETCH);
    const notStored = unstored.notStored?.failure.message ?? '';
    expect(notStored).toMatch(/unreachable/);
    await collect(noInflux, noInflux.activities.storeHeld({ region: FETCH.region, signalType: FETCH.signalType, readings: [unstored.reading] }));
    const noBucket = await startHarness({ bucket: 'no_such_database' });
    await noBucket.activities.ensureToken({ force: false });
    await collect(noBucket, noBucket.activities.storeHeld({ region: FETCH.region, signalType: FETCH.signalType, readings: [unstored.reading] }));

    const secrets = [
      ACCOUNT.password,
      INFLUX_TOKEN,
      ...harnesses.flatMap((h) => h.emulator.control.issuedTokens()),
    ];
    expect(secrets.length).toBeGreaterThan(7);
    const texts = [
      notStored,
      ...failures.map((f) => (f instanceof Error ? `${f.message}\n${f.stack ?? ''}\n${JSON.stringify(f)}` : String(f))),
      ...harnesses.flatMap((h) => h.logLines),
    ];
    expect(new Set(failures.map((f) => (f as ApplicationFailure).type))).toEqual(
      new Set([
        FailureType.InvalidCredentials,
        FailureType.TokenRejected,
        FailureType.Unavailable,
        FailureType.RateLimited,
        FailureType.MalformedResponse,
        FailureType.OutOfPlan,
        FailureType.StorageUnavailable,
        FailureType.StorageRejected,
      ]),
    );
    expect(texts.length).toBeGreaterThan(failures.length);
    for (const secret of secrets) {
      for (const text of texts) expect(text).not.toContain(secret);
    }
  });
});
