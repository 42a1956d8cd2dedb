import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthQuery } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { regionWorkflow } from '../../workflows/index';
import { TOKEN_CLOCK_SLACK_MS } from '../../workflows/token-policy';
import { HOUR_MS, PERIOD_MS, historyText, skipTo, skipToOffset, startRegionHarness, type RegionHarness } from '../../testing/region-harness';
import { injectedServers } from './injected-servers';

const region = 'MISO_INDIANAPOLIS';
const MIN = 60_000;
const SEC = 1000;
const TOKEN_TTL_SECONDS = 120;
const BUFFER_SECONDS = 30;
/** A token enters its refresh window (buffer + slack before expiry) this long after its login: 85 s. */
const TOKEN_CYCLE_MS = TOKEN_TTL_SECONDS * SEC - BUFFER_SECONDS * SEC - TOKEN_CLOCK_SLACK_MS;
/**
 * Each refresh is dated by when its login ran, a few real milliseconds after its timer fired,
 * and the next one counts from it, so the lag adds up. The counts below hold while it stays under
 * the 65 s between the last refresh and the end of the three hours; this bounds it well below.
 */
const MAX_REFRESH_LAG_MS = 30 * SEC;

let h: RegionHarness;
let handle: WorkflowHandle<typeof regionWorkflow>;
/** The period boundary the workflow starts 2.5 minutes after; P(k) is the k-th boundary after it. */
let P0: number;
const P = (k: number): number => P0 + k * PERIOD_MS;
const iso = (ms: number): string => new Date(ms).toISOString();
const health = (): Promise<RegionHealth> => handle.query(healthQuery);
const counters = () => h.emulator.control.counters();
const forecastCalls = (): number => counters().callsByEndpoint['/v3/forecast'] ?? 0;

beforeAll(async () => {
  h = await startRegionHarness({
    servers: injectedServers(),
    region,
    taskQueue: 'short-tokens',
    tokenTtlSeconds: TOKEN_TTL_SECONDS,
  });
  P0 = await skipToOffset(h.env, PERIOD_MS, 2.5 * MIN);
  handle = await h.env.client.workflow.start(regionWorkflow, {
    args: [{ region, intervalSeconds: 300, tokenRefreshBufferSeconds: BUFFER_SECONDS }],
    workflowId: regionWorkflowId(region),
    taskQueue: h.taskQueue,
  });
});

afterAll(async () => {
  await h?.close();
});

// One workflow with 2-minute tokens and a 5-minute fetch interval: three hours, then a login outage.
describe.sequential('a region whose tokens live 2 minutes', () => {
  it('keeps the login fresh between fetches: every period fetched once, no 401, refreshes as the buffer predicts', async () => {
    // Between fetches, every 45 s (all phases of the 85 s token cycle and the 300 s fetch cycle
    // come round), the held token always has more than the buffer left.
    const end = P(36) + 3.5 * MIN;
    let checks = 0;
    for (let at = P0 + 2.5 * MIN + 45 * SEC; at < end; at += 45 * SEC) {
      await skipTo(h.env, at);
      const now = await h.env.currentTimeMs();
      const current = await health();
      expect(current.status, iso(now)).toBe('healthy');
      expect(Date.parse(current.tokenExpiresAt ?? ''), `token at ${iso(now)}`).toBeGreaterThan(now + BUFFER_SECONDS * SEC);
      checks += 1;
    }
    expect(checks).toBeGreaterThan(200);
    await skipTo(h.env, end);

    // Fetches at the start (P0 + 2.5 min, period P0) and at P(k) + 30 s for k = 1 … 36: 37.
    const periods = 37;
    // A token is refreshed as soon as expiry − now ≤ buffer + slack (30 + 5 s), i.e. 85 s after
    // its login, between fetches too. The first login, at the first fetch t0 = P0 + 2.5 min, is
    // followed by refreshes at t0 + n × 85 s for n = 1 … 127 (⌊3 h / 85 s⌋ = ⌊10 800 / 85⌋); the
    // 128th would be due at t0 + 3 h + 80 s, after the end (t0 + 3 h + 1 min): 1 + 127 = 128.
    const logins = 1 + Math.floor((3 * HOUR_MS) / TOKEN_CYCLE_MS);
    expect(logins).toBe(128);
    const last = await health();
    const lastRefreshMs = Date.parse(last.lastTokenRefresh ?? '');
    const dueMs = P0 + 2.5 * MIN + (logins - 1) * TOKEN_CYCLE_MS;
    process.stderr.write(`[region-short-tokens] the last token refresh came ${((lastRefreshMs - dueMs) / 1000).toFixed(2)} s after its nominal time\n`);
    expect(lastRefreshMs).toBeGreaterThanOrEqual(dueMs);
    expect(lastRefreshMs).toBeLessThan(dueMs + MAX_REFRESH_LAG_MS);
    expect(last).toMatchObject({
      status: 'healthy',
      totalFetches: periods,
      failedFetches: 0,
      missedPeriods: 0,
      tokenRefreshCount: logins,
      tokenRetries401: 0,
      lastError: null,
      lastReading: expect.objectContaining({ pointTime: iso(P(36)) }),
      nextFetchAt: iso(P(37) + 30 * SEC),
    });
    expect(counters()).toMatchObject({ logins, failedLogins: 0 });
    expect(counters().answersByStatus['401'] ?? 0).toBe(0);
    expect(forecastCalls()).toBe(periods);
    const stored = await h.influx.currentPointTimes(region, P0, P(37));
    expect(stored.length).toBe(periods);
    expect(new Set(stored).size).toBe(periods);
    expect(Math.min(...stored)).toBe(P0);
    expect(Math.max(...stored)).toBe(P(36));
  });

  it('records a failed refresh between fetches as the latest error, and tries no other before the next fetch', async () => {
    const before = await health();
    // Now P36 + 3.5 min; the token from about P36 + 2 min 25 s is due at about P36 + 3 min 50 s.
    h.emulator.control.setFaults({ loginServerErrorRate: 1 });
    await skipTo(h.env, P(37));
    // One refresh: the worker's cache still holds the token (35 s left > its 30 s buffer), so the
    // workflow forces a login, which fails on 5 attempts (2 + 4 + 8 + 16 s of backoff). Not a fetch.
    // A failed login is shared for 15 s: the retries within it get its failure without a /login.
    // (The test server schedules each retry when the previous attempt failed, and the harness
    // clock reads that, so all five attempts fall inside the first failure's window.)
    const failedBetween = await health();
    expect(failedBetween).toMatchObject({
      status: 'healthy',
      totalFetches: before.totalFetches,
      failedFetches: 0,
      consecutiveFailures: 0,
      tokenRefreshCount: before.tokenRefreshCount,
      lastError: { type: 'WattTimeUnavailable' },
    });
    expect(failedBetween.lastError?.message).toContain('/login answered 503');
    expect(counters().failedLogins).toBe(1);

    // P37 + 30 s: the fetch refreshes the (now expired) token itself; the login fails again and
    // the period counts as failed. No refresh is tried between that fetch and the next.
    await skipTo(h.env, P(38));
    expect(await health()).toMatchObject({
      status: 'degraded',
      totalFetches: before.totalFetches + 1,
      failedFetches: 1,
      consecutiveFailures: 1,
      tokenRefreshCount: before.tokenRefreshCount,
      lastError: { type: 'WattTimeUnavailable' },
    });
    expect(counters().failedLogins).toBe(2);

    // Logins work again: P38 + 30 s logs in and stores, then backfills P37 with the same token.
    // (That token is due for its refresh at P38 + 1 min 55 s, after this check.)
    h.emulator.control.resetFaults();
    await skipTo(h.env, P(38) + 1.5 * MIN);
    const recovered = await health();
    expect(recovered).toMatchObject({
      status: 'healthy',
      totalFetches: before.totalFetches + 2,
      failedFetches: 1,
      consecutiveFailures: 0,
      missedPeriods: 0,
      backfilledPeriods: 1,
      tokenRefreshCount: before.tokenRefreshCount + 1,
      tokenRetries401: 0,
      lastReading: expect.objectContaining({ pointTime: iso(P(38)) }),
    });
    expect(Date.parse(recovered.lastTokenRefresh ?? '')).toBeLessThan(P(38) + 31 * SEC);
    expect(counters()).toMatchObject({ logins: before.tokenRefreshCount + 1, failedLogins: 2 });
  });

  it('shows the waits for a token refresh in history, holds no secret there, and replays deterministically', async () => {
    const history = await handle.fetchHistory();
    const text = historyText(history);
    expect(text).toContain('wait to refresh the token');
    expect(text).toContain('wait for the next fetch');
    for (const secret of [...h.emulator.control.issuedTokens(), h.account.password]) expect(text).not.toContain(secret);
    await Worker.runReplayHistory({ workflowBundle: h.workflowBundle }, history, handle.workflowId);
  });
});
