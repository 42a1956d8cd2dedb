import { renderHealthTable } from '../health-table';
import { isWorking, queryHealth } from '../../regions/query-health';
import { listRegionWorkflows } from '../../regions/region-workflows';
import type { CommandContext, ExitCode } from './context';

export interface HealthOptions {
  /** The complete health of each region as JSON, instead of a table. */
  readonly json?: boolean;
  /** Every column of the table, instead of the ones that fit 100 columns. */
  readonly wide?: boolean;
}

/**
 * Prints each region's health (a table at most 100 columns wide, every column with `--wide`, or
 * JSON with `--json`). Exits 1 when a region is unhealthy, paused or cannot be queried, so
 * scripts can alert on it.
 */
export async function showHealth(context: CommandContext, regions: readonly string[], options: HealthOptions = {}): Promise<ExitCode> {
  const { client, settings, out } = context;
  const { healths, problems } = await queryHealth(client, await listRegionWorkflows(client, settings, regions));
  if (options.json === true) out(JSON.stringify(healths, null, 2));
  else if (healths.length > 0) out(renderHealthTable(healths, { wide: options.wide === true }));
  else if (problems.length === 0) out('No region workflow is running.');
  for (const problem of problems) out(problem);
  return healths.every(isWorking) && problems.length === 0 ? 0 : 1;
}
