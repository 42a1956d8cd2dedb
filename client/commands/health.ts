import { healthQuery } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { renderHealthTable } from '../health-table';
import { listRegionWorkflows } from '../region-workflows';
import type { CommandContext, ExitCode } from './context';

/**
 * Prints each region's health (a table, or JSON with `--json`). Exits 1 when a region is
 * unhealthy, paused or cannot be queried, so scripts can alert on it.
 */
export async function showHealth(context: CommandContext, regions: readonly string[], json: boolean): Promise<ExitCode> {
  const { client, settings, out } = context;
  const workflowIds = await listRegionWorkflows(client, settings, regions);
  const healths: RegionHealth[] = [];
  const problems: string[] = [];
  for (const workflowId of workflowIds) {
    try {
      healths.push(await client.workflow.getHandle(workflowId).query(healthQuery));
    } catch (error) {
      problems.push(`${workflowId}: cannot be queried (${(error as Error).message})`);
    }
  }
  if (json) out(JSON.stringify(healths, null, 2));
  else if (healths.length > 0) out(renderHealthTable(healths));
  else if (problems.length === 0) out('No region workflow is running.');
  for (const problem of problems) out(problem);
  const allWell = healths.every((health) => health.status === 'healthy' || health.status === 'degraded');
  return allWell && problems.length === 0 ? 0 : 1;
}
