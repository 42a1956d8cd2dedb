import type { Client } from '@temporalio/client';
import type { ClientSettings } from '../config/settings';
import type { RegionHealth } from '../workflows/health';
import { isWorking, queryHealth } from '../regions/query-health';
import { listRegionWorkflows } from '../regions/region-workflows';
import type { HealthReport } from './health-server';

export interface RegionHealthReport extends HealthReport {
  readonly regions: readonly RegionHealth[];
}

/**
 * How long `GET /health` asks Temporal: a probe's timeout is typically a few seconds, and while
 * Temporal is down each call would otherwise wait out the client's retries (about 20 s).
 */
export const HEALTH_ANSWER_MS = 1_500;

/** gRPC status DEADLINE_EXCEEDED: Temporal did not answer in time. */
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * Every region's health, for `GET /health`, within `answerWithinMs`: ok (200) while every region
 * is healthy or degraded (judged at this process's clock); 503 with the reason when one is
 * unhealthy, paused, not running or cannot be queried — or `Temporal unreachable: …` when
 * Temporal does not answer in time. Regions are GRID_REGIONS when set, else every running region
 * workflow on the task queue.
 */
export async function readRegionHealthReport(
  temporal: { readonly client: Client; readonly address: string },
  settings: Pick<ClientSettings, 'GRID_REGIONS' | 'TEMPORAL_TASK_QUEUE'>,
  answerWithinMs = HEALTH_ANSWER_MS,
): Promise<RegionHealthReport> {
  const { client, address } = temporal;
  const deadline = Date.now() + answerWithinMs;
  const within = <T>(call: () => Promise<T>): Promise<T> => client.connection.withDeadline(deadline, call);
  const unreachable = (error: unknown): RegionHealthReport => {
    const late = error === undefined || (error as { code?: unknown }).code === GRPC_DEADLINE_EXCEEDED;
    const detail = late ? `no answer from ${address} within ${answerWithinMs / 1000} s` : `${address}: ${firstLine(error)}`;
    return { ok: false, reason: `Temporal unreachable: ${detail}`, regions: [] };
  };
  // Whether Temporal answers at all, asked beside the report so both fit in the same time.
  const reachable = within(() => client.workflowService.getSystemInfo({})).then(
    () => true,
    (error: unknown) => error,
  );
  // Caught at once: the report may fail after this function has answered from the probe.
  const report = within(() => regionsReport(client, settings)).catch((error: unknown) => unreachable(error));
  // A backstop should some call not honour the deadline.
  const timeout = new Promise<undefined>((resolveTimeout) => {
    setTimeout(() => resolveTimeout(undefined), answerWithinMs + 250).unref();
  });
  const answered = await Promise.race([reachable, timeout]);
  if (answered !== true) return unreachable(answered);
  return (await Promise.race([report, timeout])) ?? unreachable(undefined);
}

async function regionsReport(
  client: Client,
  settings: Pick<ClientSettings, 'GRID_REGIONS' | 'TEMPORAL_TASK_QUEUE'>,
): Promise<RegionHealthReport> {
  const workflowIds = await listRegionWorkflows(client, settings);
  const { healths, problems } = await queryHealth(client, workflowIds);
  for (const health of healths) {
    if (!isWorking(health)) problems.push(`${health.region} is ${health.status}: ${health.statusReason}`);
  }
  if (workflowIds.length === 0) problems.push('no region workflow is running');
  return problems.length === 0 ? { ok: true, regions: healths } : { ok: false, reason: problems.join('; '), regions: healths };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
