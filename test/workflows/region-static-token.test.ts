import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthQuery, stopSignal } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { regionWorkflow } from '../../workflows/index';
import { PERIOD_MS, historyText, skipTo, skipToOffset, startRegionHarness, type RegionHarness } from '../../testing/region-harness';
import { injectedServers } from './injected-servers';

const region = 'GB';
const MIN = 60_000;
let h: RegionHarness;
let handle: WorkflowHandle<typeof regionWorkflow>;
let P0: number;
const P = (k: number): number => P0 + k * PERIOD_MS;
const counters = () => h.emulator.control.counters();

beforeAll(async () => {
  // As a worker with WATTTIME_API_TOKEN and no password: the token is WattTime's 30-minute kind.
  h = await startRegionHarness({ servers: injectedServers(), region, taskQueue: 'static-token', staticTokenOnly: true });
  P0 = await skipToOffset(h.env, PERIOD_MS, 2.5 * MIN);
  handle = await h.env.client.workflow.start(regionWorkflow, { args: [{ region }], workflowId: regionWorkflowId(region), taskQueue: h.taskQueue });
});

afterAll(async () => {
  await h?.close();
});

describe('a worker with only a static WATTTIME_API_TOKEN', () => {
  it('fetches with it without ever logging in, and needs the operator once WattTime rejects it', async () => {
    await skipTo(h.env, P(12) + 2.5 * MIN);
    const health: RegionHealth = await handle.query(healthQuery);
    // Only the harness's own login, which issued the static token: the worker never logs in.
    expect(counters().logins).toBe(1);
    // The token died 30 minutes after it was issued. The first fetch after that got a 401 (to its
    // forecast and index calls), whose forced refresh found no password: one 401 retry, then no
    // WattTime call at all.
    expect(counters().answersByStatus['401']).toBe(2);
    const succeeded = health.totalFetches - health.failedFetches;
    expect(health).toMatchObject({
      status: 'unhealthy',
      totalFetches: 13,
      consecutiveFailures: health.failedFetches,
      tokenRetries401: 1,
      // Held at the start, then re-armed once between fetches (no login) before it died.
      tokenRefreshCount: 2,
      lastError: { type: 'WattTimeInvalidCredentials' },
    });
    expect(succeeded).toBeGreaterThanOrEqual(5);
    expect(succeeded).toBeLessThanOrEqual(7);
    expect(counters().callsByEndpoint['/v3/forecast']).toBe(succeeded + 1);
    expect(health.statusReason).toBe(
      'needs the operator: WattTime token cache: WattTime rejected WATTTIME_API_TOKEN of user "workflow-tests"; set a fresh WATTTIME_API_TOKEN, or a WATTTIME_PASSWORD to log in with',
    );
  });

  it('keeps the static token out of history and health', async () => {
    await handle.signal(stopSignal);
    const result = await handle.result();
    const [token] = h.emulator.control.issuedTokens();
    expect(token).toBeDefined();
    const text = historyText(await handle.fetchHistory()) + JSON.stringify(result);
    expect(text).not.toContain(token);
  });
});
