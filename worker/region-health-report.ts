import type { Client } from '@temporalio/client';
import type { ClientSettings } from '../config/settings';
import type { RegionHealth } from '../workflows/health';
import { isWorking, queryHealth } from '../regions/query-health';
import { listRegionWorkflows } from '../regions/region-workflows';
import { readStatusSummary, type RegionStatus } from '../regions/status-summary';
import type { HealthReport } from './health-server';

/** `GET /health`: how many regions run, and which of them need a look. */
export interface RegionStatusReport extends HealthReport {
  readonly running: number;
  readonly notWorking: readonly RegionStatus[];
}

/** `GET /health?detail=1`: every region's full health. */
export interface RegionHealthReport extends HealthReport {
  readonly regions: readonly RegionHealth[];
}

type RegionSettings = Pick<ClientSettings, 'GRID_REGIONS' | 'TEMPORAL_TASK_QUEUE'>;

/** The Temporal client `/health` asks, and the address it names when Temporal does not answer. */
export interface HealthTemporal {
  readonly client: Client;
  readonly address: string;
}

/**
 * How long `GET /health` asks Temporal: a probe's timeout is typically a few seconds, and while
 * Temporal is down each call would otherwise wait out the client's retries (about 20 s).
 */
export const HEALTH_ANSWER_MS = 1_500;

/** gRPC status DEADLINE_EXCEEDED: Temporal did not answer in time. */
const GRPC_DEADLINE_EXCEEDED = 4;

/**
 * For `GET /health`, within `answerWithinMs`: ok (200) while every region is healthy or degraded;
 * 503 with the reason when one is unhealthy, paused or not running, none runs, or
 * `Temporal unreachable: …` when Temporal does not answer in time. Regions are GRID_REGIONS when
 * set, else every running region workflow on the task queue. Answered from Temporal's visibility
 * store (`readStatusSummary`): as fast for 500 regions as for 10. Each status is the one the
 * region's workflow published at its latest step; a fetch, retries included, ends before the next
 * is due, so that step is at most one fetch interval old while a worker runs.
 */
export async function readRegionStatusReport(
  temporal: HealthTemporal,
  settings: RegionSettings,
  answerWithinMs = HEALTH_ANSWER_MS,
): Promise<RegionStatusReport> {
  const verdict = async (): Promise<RegionStatusReport> => {
    const { running, notWorking, problems } = await readStatusSummary(temporal.client, settings);
    for (const region of notWorking) problems.push(`${region.region} is ${region.status}`);
    if (running === 0 && problems.length === 0) problems.push('no region workflow is running');
    return problems.length === 0 ? { ok: true, running, notWorking } : { ok: false, reason: problems.join('; '), running, notWorking };
  };
  return answerWithin(temporal, answerWithinMs, verdict, (reason) => ({ ok: false, reason, running: 0, notWorking: [] }));
}

/**
 * For `GET /health?detail=1`, within `answerWithinMs`: the same verdict with each region's full
 * health (readings, counters, the reason for its status), asking each region workflow: one query
 * per region. Staleness is judged at this process's clock, from each region's latest success.
 */
export async function readRegionHealthReport(
  temporal: HealthTemporal,
  settings: RegionSettings,
  answerWithinMs = HEALTH_ANSWER_MS,
): Promise<RegionHealthReport> {
  const verdict = async (): Promise<RegionHealthReport> => {
    const workflowIds = await listRegionWorkflows(temporal.client, settings);
    const { healths, problems } = await queryHealth(temporal.client, workflowIds);
    for (const health of healths) {
      if (!isWorking(health)) problems.push(`${health.region} is ${health.status}: ${health.statusReason}`);
    }
    if (workflowIds.length === 0) problems.push('no region workflow is running');
    return problems.length === 0 ? { ok: true, regions: healths } : { ok: false, reason: problems.join('; '), regions: healths };
  };
  return answerWithin(temporal, answerWithinMs, verdict, (reason) => ({ ok: false, reason, regions: [] }));
}

/**
 * Runs `verdict` under a gRPC deadline `answerWithinMs` from now, beside a cheap probe of whether
 * Temporal answers at all, and answers `unreachable("Temporal unreachable: …")` when either
 * fails or time runs out.
 */
async function answerWithin<Report extends HealthReport>(
  temporal: HealthTemporal,
  answerWithinMs: number,
  verdict: () => Promise<Report>,
  unreachable: (reason: string) => Report,
): Promise<Report> {
  const { client, address } = temporal;
  const deadline = Date.now() + answerWithinMs;
  const within = <T>(call: () => Promise<T>): Promise<T> => client.connection.withDeadline(deadline, call);
  const unreachableBecause = (error: unknown): Report => {
    const late = error === undefined || (error as { code?: unknown }).code === GRPC_DEADLINE_EXCEEDED;
    const detail = late ? `no answer from ${address} within ${answerWithinMs / 1000} s` : `${address}: ${firstLine(error)}`;
    return unreachable(`Temporal unreachable: ${detail}`);
  };
  // Whether Temporal answers at all, asked beside the report so both fit in the same time.
  const reachable = within(() => client.workflowService.getSystemInfo({})).then(
    () => true,
    (error: unknown) => error,
  );
  // Caught at once: the report may fail after this function has answered from the probe.
  const report = within(verdict).catch((error: unknown) => unreachableBecause(error));
  // A backstop should some call not honour the deadline.
  const timeout = new Promise<undefined>((resolveTimeout) => {
    setTimeout(() => resolveTimeout(undefined), answerWithinMs + 250).unref();
  });
  const answered = await Promise.race([reachable, timeout]);
  if (answered !== true) return unreachableBecause(answered);
  return (await Promise.race([report, timeout])) ?? unreachableBecause(undefined);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
