import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moerAt } from '../../emulator/data';
import { healthQuery } from '../../workflows/definitions';
import { regionWorkflowId } from '../../workflows/ids';
import { regionWorkflow } from '../../workflows/index';
import { MAX_PERIODS_PER_RUN } from '../../workflows/region-workflow';
import { TOKEN_CLOCK_SLACK_MS } from '../../workflows/token-policy';
import { DAY_MS, PERIOD_MS, historyText, skipTo, skipToOffset, startRegionHarness, type RegionHarness } from '../../testing/region-harness';
import { injectedServers } from './injected-servers';

const region = 'BPA';
const MIN = 60_000;
let h: RegionHarness;
let handle: WorkflowHandleWithFirstExecutionRunId<typeof regionWorkflow>;
let firstRunId: string;
/** The period boundary the workflow starts 2.5 minutes after; P(k) is the k-th boundary after it. */
let P0: number;
const P = (k: number): number => P0 + k * PERIOD_MS;
const iso = (ms: number): string => new Date(ms).toISOString();
const counters = () => h.emulator.control.counters();
const forecastCalls = (): number => counters().callsByEndpoint['/v3/forecast'] ?? 0;
/** A 30-minute token enters the refresh window (buffer 300 s + TOKEN_CLOCK_SLACK_MS) this long after its login. */
const TOKEN_CYCLE_MS = 30 * MIN - 300_000 - TOKEN_CLOCK_SLACK_MS;
/** Bound on the refreshes' accumulated lag behind their nominal times (see the first test). */
const MAX_REFRESH_LAG_MS = 60_000;

/** The histories of every run so far, from the first to the current one. */
async function runHistories(): Promise<History[]> {
  const currentRunId = (await handle.describe()).runId;
  const histories: History[] = [];
  let runId: string | null | undefined = firstRunId;
  while (runId) {
    const history = await h.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    histories.push(history);
    runId = runId === currentRunId ? null : history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  expect(histories.length > 0 && runId === null, 'the chain of runs ends at the current run').toBe(true);
  return histories;
}

beforeAll(async () => {
  h = await startRegionHarness({ servers: injectedServers(), region, taskQueue: 'week' });
  P0 = await skipToOffset(h.env, PERIOD_MS, 2.5 * MIN);
  handle = await h.env.client.workflow.start(regionWorkflow, {
    args: [{ region, intervalSeconds: 300, tokenRefreshBufferSeconds: 300 }],
    workflowId: regionWorkflowId(region),
    taskQueue: h.taskQueue,
  });
  firstRunId = handle.firstExecutionRunId;
});

afterAll(async () => {
  await h?.close();
});

// One workflow lives through both steps: a week, then a revoked token.
describe.sequential('a region over 7 simulated days', () => {
  it('fetches every period exactly once and refreshes tokens exactly as the buffer predicts', async () => {
    const realStart = Date.now();
    // A day at a time: one week-long skip has overshot by days on a busy machine (the test
    // server kept skipping after the sleep it was asked for).
    for (let day = 1; day <= 7; day++) await skipTo(h.env, P0 + day * DAY_MS + 2.5 * MIN);
    const realSeconds = (Date.now() - realStart) / 1000;
    process.stderr.write(`[region-week] 7 simulated days took ${realSeconds.toFixed(1)} s of real time\n`);

    // Fetches: at the start (P0 + 2.5 min, period P0), then at P(k) + 30 s for k = 1 … 2016
    // (7 days × 288 periods): 2017 fetches, one per period P0 … P2016.
    const periods = 7 * 288 + 1;
    // Tokens live 30 min and are refreshed as soon as expiry − now ≤ buffer + slack (300 + 5 s),
    // between fetches too: 1495 s after each login. The first login, at the first fetch
    // t0 = P0 + 2.5 min, is followed by refreshes at t0 + n × 1495 s for n = 1 … 404
    // (⌊7 days / 1495 s⌋ = ⌊604 800 / 1495⌋): 1 + 404 = 405. (They move 5 s earlier on the grid
    // each time; where one meets a fetch slot, that fetch or the wait right after it refreshes —
    // once either way.)
    const logins = 1 + Math.floor((7 * DAY_MS) / TOKEN_CYCLE_MS);
    expect(logins).toBe(405);
    const health = await handle.query(healthQuery);
    expect(health).toMatchObject({
      status: 'healthy',
      totalFetches: periods,
      failedFetches: 0,
      successRate: 1,
      consecutiveFailures: 0,
      missedPeriods: 0,
      tokenRefreshCount: logins,
      tokenRetries401: 0,
      lastError: null,
      lastSuccessfulFetch: expect.stringMatching(new RegExp(`^${iso(P(2016) + 30_000).slice(0, 19)}`)),
      nextFetchAt: iso(P(2017) + 30_000),
      intervalSeconds: 300,
    });
    expect(health.lastReading).toMatchObject({ pointTime: iso(P(2016)), value: moerAt(region, P(2016)) });
    // The last refresh is due at t0 + 404 × 1495 s = P2013 + 3 min 50 s. Every refresh is dated by
    // when its login ran, a few real milliseconds after its timer fired, and the next counts from
    // it: the lag adds up over the 404 refreshes (the count above holds while it stays under the
    // 820 s left until the end of the week).
    const lastRefreshMs = Date.parse(health.lastTokenRefresh ?? '');
    const dueMs = P0 + 2.5 * MIN + 404 * TOKEN_CYCLE_MS;
    process.stderr.write(`[region-week] the last token refresh came ${((lastRefreshMs - dueMs) / 1000).toFixed(1)} s after its nominal time\n`);
    expect(lastRefreshMs).toBeGreaterThanOrEqual(dueMs);
    expect(lastRefreshMs).toBeLessThan(dueMs + MAX_REFRESH_LAG_MS);
    expect(Date.parse(health.tokenExpiresAt ?? '')).toBeGreaterThan(lastRefreshMs + 30 * MIN - 5_000);
    expect(Date.parse(health.tokenExpiresAt ?? '')).toBeLessThanOrEqual(lastRefreshMs + 30 * MIN);

    expect(counters().logins).toBe(logins);
    expect(counters().answersByStatus['401'] ?? 0).toBe(0);
    expect(forecastCalls()).toBe(periods);
    const stored = await h.influx.currentPointTimes(region, P0, P(2017));
    expect(new Set(stored).size).toBe(periods);
    expect(Math.min(...stored)).toBe(P0);
    expect(Math.max(...stored)).toBe(P(2016));
    // A week of 5-minute periods is ~2,000 activity round trips: a limit for a loaded 2-core machine, not a target.
  }, 420_000);

  it('continued as new, with every counter carried over', async () => {
    const runs = await runHistories();
    for (const history of runs.slice(0, -1)) {
      expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    }
    // At least every MAX_PERIODS_PER_RUN periods; earlier when the server suggests it.
    expect(runs.length - 1).toBeGreaterThanOrEqual(Math.floor((7 * 288 + 1) / MAX_PERIODS_PER_RUN));
    // The counters checked above equal the emulator's totals, so they crossed all these runs.
    expect((await handle.query(healthQuery)).continuedAsNew).toBe(runs.length - 1);
  });

  it('recovers from a revoked token with one forced refresh and one retry, missing no period', async () => {
    const before = await handle.query(healthQuery);
    const logins = counters().logins;
    const fetches = forecastCalls();
    // Now P2016 + 2.5 min. The token from about P2013 + 3 min 50 s is refreshed between fetches
    // 1495 s later, about P2018 + 3 min 45 s; WattTime revokes it before the next fetch.
    await skipTo(h.env, P(2019));
    const refreshed = await handle.query(healthQuery);
    expect(refreshed.tokenRefreshCount).toBe(before.tokenRefreshCount + 1);
    const refreshedAtMs = Date.parse(refreshed.lastTokenRefresh ?? '');
    expect(refreshedAtMs).toBeGreaterThanOrEqual(P(2018) + 3.75 * MIN);
    expect(refreshedAtMs).toBeLessThan(P(2018) + 3.75 * MIN + MAX_REFRESH_LAG_MS);
    h.emulator.control.revokeAllTokens();
    await skipTo(h.env, P(2027) + 2.5 * MIN);

    // 11 periods, P2017 … P2027. At P2019 + 30 s: 401 → forced login → the retry stores the
    // period. That token (expiring P2019 + 30.5 min) enters the refresh window at P2024 + 25 s and
    // is refreshed then, between fetches; the next refresh would be at P2029 + 20 s. 3 logins.
    const after = await handle.query(healthQuery);
    expect(after).toMatchObject({
      status: 'healthy',
      tokenRetries401: 1,
      tokenRefreshCount: before.tokenRefreshCount + 3,
      totalFetches: before.totalFetches + 11,
      failedFetches: 0,
      missedPeriods: 0,
      lastReading: expect.objectContaining({ pointTime: iso(P(2027)) }),
    });
    expect(after.lastError).toBeNull();
    expect(Date.parse(after.lastTokenRefresh ?? '')).toBeGreaterThanOrEqual(P(2024) + 25_000);
    expect(Date.parse(after.lastTokenRefresh ?? '')).toBeLessThan(P(2024) + 30_000);
    expect(counters().logins).toBe(logins + 3);
    // 11 periods plus the retry; the rejected attempt's parallel forecast and index calls both got 401.
    expect(forecastCalls()).toBe(fetches + 12);
    expect(counters().answersByStatus['401']).toBe(2);
    expect(new Set(await h.influx.currentPointTimes(region, P(2017), P(2028))).size).toBe(11);

    const history = historyText(await runHistories());
    expect(history).toContain(`fetch ${region} co2_moer (retry after 401)`);
    expect(history).toContain('wait to refresh the token');
    for (const secret of [...h.emulator.control.issuedTokens(), h.account.password]) expect(history).not.toContain(secret);
  });
});
