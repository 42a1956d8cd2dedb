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

/**
 * For `GET /health`: ok (200) while every region is healthy or degraded; 503 with the reason
 * when one is unhealthy, paused or not running, none runs, or Temporal is unreachable. Regions
 * are GRID_REGIONS when set, else every running region workflow on the task queue. Answered from
 * Temporal's visibility store (`readStatusSummary`): as fast for 500 regions as for 10.
 */
export async function readRegionStatusReport(client: Client, settings: RegionSettings): Promise<RegionStatusReport> {
  try {
    const { running, notWorking, problems } = await readStatusSummary(client, settings);
    for (const region of notWorking) problems.push(`${region.region} is ${region.status}`);
    if (running === 0 && problems.length === 0) problems.push('no region workflow is running');
    return problems.length === 0 ? { ok: true, running, notWorking } : { ok: false, reason: problems.join('; '), running, notWorking };
  } catch (error) {
    return { ok: false, reason: `Temporal unreachable: ${(error as Error).message}`, running: 0, notWorking: [] };
  }
}

/**
 * For `GET /health?detail=1`: the same verdict with each region's full health (readings,
 * counters, the reason for its status), asking each region workflow: one query per region.
 */
export async function readRegionHealthReport(client: Client, settings: RegionSettings): Promise<RegionHealthReport> {
  let workflowIds: string[];
  try {
    workflowIds = await listRegionWorkflows(client, settings);
  } catch (error) {
    return { ok: false, reason: `Temporal unreachable: ${(error as Error).message}`, regions: [] };
  }
  const { healths, problems } = await queryHealth(client, workflowIds);
  for (const health of healths) {
    if (!isWorking(health)) problems.push(`${health.region} is ${health.status}: ${health.statusReason}`);
  }
  if (workflowIds.length === 0) problems.push('no region workflow is running');
  return problems.length === 0 ? { ok: true, regions: healths } : { ok: false, reason: problems.join('; '), regions: healths };
}
