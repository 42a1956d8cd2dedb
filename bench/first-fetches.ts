/** How the real-time benches begin: every region's workflow started and its first fetch made. */
import type { Client } from '@temporalio/client';
import { DEFAULT_TASK_QUEUE } from '../common/names';
import type { EmulatorCounters } from '../emulator/server';
import { regionWorkflow, type RegionWorkflowInput } from '../workflows';
import { regionWorkflowId } from '../workflows/ids';
import { forecastCalls, pollCounters } from './emulator-counters';
import { inBatches } from './in-batches';

const START_BATCH = 50;
const FIRST_FETCHES_WITHIN_MS = 300_000;

/**
 * Starts one region workflow per region (50 starts at a time) on the default task queue and waits
 * until each first fetch has reached WattTime (the emulator's `/v3/forecast` count). Answers when
 * the first start was sent (ms since epoch). `fetchWindowSeconds` goes into the input only when
 * given: code without the field ignores it.
 *
 * @throws Error when not every first fetch happened within 5 minutes.
 */
export async function startRegionsAndFirstFetches(
  client: Client,
  counters: () => Promise<EmulatorCounters>,
  regions: readonly string[],
  intervalSeconds: number,
  fetchWindowSeconds: number | undefined,
): Promise<number> {
  const firstStartMs = Date.now();
  await inBatches(regions, START_BATCH, async (region) => {
    const input: RegionWorkflowInput = { region, intervalSeconds, ...(fetchWindowSeconds === undefined ? {} : { fetchWindowSeconds }) };
    await client.workflow.start(regionWorkflow, { workflowId: regionWorkflowId(region), taskQueue: DEFAULT_TASK_QUEUE, args: [input] });
  });
  const first = await pollCounters(counters, Date.now() + FIRST_FETCHES_WITHIN_MS, (c) => forecastCalls(c) >= regions.length);
  if (forecastCalls(first) < regions.length) throw new Error(`only ${forecastCalls(first)} of ${regions.length} first fetches within 5 minutes`);
  return firstStartMs;
}
