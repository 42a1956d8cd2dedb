import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { wattTimeAccount, type WattTimeSettings } from '../../config/settings';
import { ensureCarbonRegionAttribute } from '../../regions/carbon-region-attribute';
import { WattTimeSession } from '../../watttime/session';
import { regionWorkflow, type RegionWorkflowInput } from '../../workflows';
import { regionWorkflowId } from '../../workflows/ids';
import { CARBON_REGION } from '../../workflows/search-attributes';
import { checkRegionsAgainstPlan } from '../plan-check';
import type { CommandContext, ExitCode } from './context';

export interface StartOptions {
  readonly signalType: string;
}

/**
 * Starts one workflow per region after checking the regions against the WattTime plan. A region
 * already running is left as it is (Temporal refuses a second run with the same id). First the
 * namespace must have the `CarbonRegion` search attribute: registered here when missing, else
 * `SearchAttributeError` (one line) and nothing starts.
 */
export async function startRegions(
  context: CommandContext,
  wattTimeSettings: WattTimeSettings,
  regions: readonly string[],
  options: StartOptions,
): Promise<ExitCode> {
  const { client, settings, out } = context;
  const wanted = regions.length > 0 ? regions : settings.GRID_REGIONS;
  if (wanted.length === 0) {
    out('No region given: name regions (start CAISO_NORTH PJM_DC) or set GRID_REGIONS.');
    return 1;
  }
  const namespace = client.options.namespace;
  if ((await ensureCarbonRegionAttribute(client.connection, namespace)) === 'registered') {
    out(`Registered search attribute ${CARBON_REGION.name} (Keyword) in namespace ${namespace}.`);
  }
  const session = new WattTimeSession({ account: wattTimeAccount(wattTimeSettings), baseUrl: wattTimeSettings.WATTTIME_BASE_URL });
  const plan = await checkRegionsAgainstPlan(session, wanted, options.signalType).finally(() => session.close());
  for (const { reason } of plan.refused) out(`Refused: ${reason}; nothing started for it.`);

  for (const region of plan.allowed) {
    const workflowId = regionWorkflowId(region, options.signalType);
    const input: RegionWorkflowInput = {
      region,
      signalType: options.signalType,
      intervalSeconds: settings.FETCH_INTERVAL_SECONDS,
      tokenRefreshBufferSeconds: settings.TOKEN_REFRESH_BUFFER_SECONDS,
      forecastHorizonHours: settings.FORECAST_HORIZON_HOURS,
      fetchWindowSeconds: settings.FETCH_WINDOW_SECONDS,
    };
    try {
      await client.workflow.start(regionWorkflow, { workflowId, taskQueue: settings.TEMPORAL_TASK_QUEUE, args: [input] });
      out(`Started ${workflowId} (every ${input.intervalSeconds}s).`);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      out(`${workflowId} is already running; left unchanged.`);
    }
  }
  return plan.refused.length === 0 ? 0 : 1;
}
