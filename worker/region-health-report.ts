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
 * Every region's health, for `GET /health`: ok (200) while every region is healthy or degraded;
 * 503 with the reason when one is unhealthy, paused or not running, or Temporal is unreachable.
 * Regions are GRID_REGIONS when set, else every running region workflow on the task queue.
 */
export async function readRegionHealthReport(
  client: Client,
  settings: Pick<ClientSettings, 'GRID_REGIONS' | 'TEMPORAL_TASK_QUEUE'>,
): Promise<RegionHealthReport> {
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
