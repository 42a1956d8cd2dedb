import { renderHealthTable, renderStatusSummary } from '../health-table';
import { isWorking, queryHealth } from '../../regions/query-health';
import { readStatusSummary } from '../../regions/status-summary';
import { listRegionWorkflows } from '../../regions/region-workflows';
import type { CommandContext, ExitCode } from './context';

export interface HealthOptions {
  /** The complete health as JSON, instead of a table. */
  readonly json?: boolean;
  /** Ask every region for its full health even when none is named. */
  readonly detail?: boolean;
  /** Every column of the full-health table, instead of the ones that fit 100 columns. */
  readonly wide?: boolean;
}

/**
 * Prints the regions' health (a table, or JSON with `--json`). Without named regions or
 * `--detail`: how many run and which are unhealthy or paused, from Temporal's visibility store
 * (`readStatusSummary`), as fast for 500 regions as for 10; named regions or `--detail` get their
 * full health, one query per region, in a table at most 100 columns wide (every column with
 * `--wide`). Exits 1 when a region is unhealthy, paused, not running or cannot be queried, so
 * scripts can alert on it.
 */
export async function showHealth(context: CommandContext, regions: readonly string[], options: HealthOptions = {}): Promise<ExitCode> {
  const { client, settings, out } = context;
  if (regions.length === 0 && !options.detail) {
    const summary = await readStatusSummary(client, settings);
    if (options.json) out(JSON.stringify(summary, null, 2));
    else if (summary.running > 0) out(renderStatusSummary(summary));
    else if (summary.problems.length === 0) out('No region workflow is running.');
    if (!options.json) for (const problem of summary.problems) out(problem);
    return summary.notWorking.length === 0 && summary.problems.length === 0 ? 0 : 1;
  }
  const { healths, problems } = await queryHealth(client, await listRegionWorkflows(client, settings, regions));
  if (options.json === true) out(JSON.stringify(healths, null, 2));
  else if (healths.length > 0) out(renderHealthTable(healths, { wide: options.wide === true }));
  else if (problems.length === 0) out('No region workflow is running.');
  for (const problem of problems) out(problem);
  return healths.every(isWorking) && problems.length === 0 ? 0 : 1;
}
