/**
 * What the activities' dependencies count for the worker's metrics, through the `metrics` the
 * wiring injects: every WattTime request by endpoint and status (checked against the emulator's
 * own counters), its duration, each login, and each failed InfluxDB write by measurement.
 */
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../common/failure-types';
import { statusClass, type ActivityMetrics } from '../../activities/meter-metrics';
import { wireActivities } from '../../activities/wiring';
import { freePort } from '../../servers/free-port';
import { ACCOUNT, INFLUX_TOKEN, failureOf, startHarness } from './support';

const FETCH = { region: 'CAISO_NORTH', signalType: 'co2_moer', forecastHorizonHours: 2 };

class RecordingMetrics implements ActivityMetrics {
  readonly requests: { endpoint: string; status: number | undefined; seconds: number }[] = [];
  logins = 0;
  readonly writeFailures: string[] = [];

  requestDone(endpoint: string, status: number | undefined, seconds: number): void {
    this.requests.push({ endpoint, status, seconds });
  }

  loggedIn(): void {
    this.logins += 1;
  }

  writeFailed(measurement: string): void {
    this.writeFailures.push(measurement);
  }

  /** Requests per endpoint and status class, as the Prometheus counter labels them. */
  byClass(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { endpoint, status } of this.requests) {
      const key = `${endpoint} ${statusClass(status)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }
}

describe('activity metrics', () => {
  it('counts each WattTime request by endpoint and status class with its duration, and each login', async () => {
    const metrics = new RecordingMetrics();
    const harness = await startHarness({ metrics });
    await harness.activities.ensureToken({ force: false });
    await harness.activities.fetchAndStore(FETCH);
    harness.emulator.control.setFaults({ latencyMs: 60 });
    await harness.activities.fetchAndStore(FETCH);
    harness.emulator.control.setFaults({ latencyMs: 0, serverErrorRate: 1 });
    expect(await failureOf(harness.activities.fetchAndStore(FETCH))).toMatchObject({ type: FailureType.Unavailable });
    harness.emulator.control.resetFaults();
    harness.emulator.control.revokeAllTokens();
    expect(await failureOf(harness.activities.fetchAndStore(FETCH))).toMatchObject({ type: FailureType.TokenRejected });
    await harness.activities.ensureToken({ force: true });

    expect(metrics.byClass()).toEqual({
      '/login 2xx': 2,
      '/v3/my-access 2xx': 1,
      '/v3/forecast 2xx': 2,
      '/v3/signal-index 2xx': 2,
      '/v3/forecast 5xx': 1,
      '/v3/signal-index 5xx': 1,
      '/v3/forecast 4xx': 1,
      '/v3/signal-index 4xx': 1,
    });
    // The same requests the emulator answered, no more, no fewer.
    const { callsByEndpoint, answersByStatus, logins } = harness.emulator.control.counters();
    const perEndpoint: Record<string, number> = {};
    const perStatus: Record<string, number> = {};
    for (const { endpoint, status } of metrics.requests) {
      perEndpoint[endpoint] = (perEndpoint[endpoint] ?? 0) + 1;
      perStatus[String(status)] = (perStatus[String(status)] ?? 0) + 1;
    }
    expect(perEndpoint).toEqual(callsByEndpoint);
    expect(perStatus).toEqual(answersByStatus);
    expect(metrics.logins).toBe(logins);
    expect(metrics.logins).toBe(2);
    // Durations are real seconds, each as long as the emulator made the answer wait.
    const delayed = metrics.requests.slice(4, 6);
    expect(delayed.map((r) => r.endpoint).sort()).toEqual(['/v3/forecast', '/v3/signal-index']);
    for (const request of delayed) expect(request.seconds).toBeGreaterThanOrEqual(0.06);
    for (const request of metrics.requests) expect(request.seconds).toBeLessThan(10);
  });

  it('counts a request that got no answer as class "error"', async () => {
    const metrics = new RecordingMetrics();
    const port = await freePort();
    const wired = wireActivities({
      account: { username: ACCOUNT.username, password: ACCOUNT.password },
      wattTimeBaseUrl: `http://127.0.0.1:${port}`,
      influx: { url: `http://127.0.0.1:${port}`, token: INFLUX_TOKEN, org: 'ignored', bucket: 'unused' },
      metrics,
    });
    try {
      expect(await failureOf(wired.activities.ensureToken({ force: false }))).toMatchObject({ type: FailureType.Unavailable });
    } finally {
      await wired.close();
    }
    expect(metrics.byClass()).toEqual({ '/login error': 1 });
    expect(metrics.logins).toBe(0);
  });

  it('counts each failed InfluxDB write by measurement', async () => {
    const metrics = new RecordingMetrics();
    const harness = await startHarness({ metrics, influxUrl: `http://127.0.0.1:${await freePort()}` });
    await harness.activities.ensureToken({ force: false });

    // WattTime answered, so the activity hands the readings back to be held rather than failing.
    const result = await harness.activities.fetchAndStore(FETCH);
    expect(result.notStored?.failure).toMatchObject({ type: FailureType.StorageUnavailable });
    // The other write may still be failing while the writer closes.
    await harness.writer.close();

    expect(metrics.writeFailures.sort()).toEqual(['carbon_intensity', 'carbon_intensity_forecast']);
    expect(metrics.byClass()).toMatchObject({ '/v3/forecast 2xx': 1, '/v3/signal-index 2xx': 1 });
  });
});
