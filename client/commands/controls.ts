import { WorkflowUpdateFailedError } from '@temporalio/client';
import { pauseUpdate, refreshTokenUpdate, resumeUpdate, setIntervalUpdate, stopSignal } from '../../workflows/definitions';
import { regionWorkflowId } from '../../workflows/ids';
import { listRegionWorkflows } from '../../regions/region-workflows';
import type { CommandContext, ExitCode } from './context';

/** Forces a token refresh for one region now; prints the new expiry and token id. */
export async function refreshToken(context: CommandContext, region: string): Promise<ExitCode> {
  const result = await context.client.workflow.getHandle(regionWorkflowId(region)).executeUpdate(refreshTokenUpdate);
  context.out(`${region}: token ${result.tokenId} valid until ${result.tokenExpiresAt}${result.loggedIn ? '' : ' (shared login)'}.`);
  return 0;
}

/** Changes one region's fetch interval; an invalid value is refused with the workflow's reason. */
export async function changeInterval(context: CommandContext, region: string, seconds: number): Promise<ExitCode> {
  try {
    const result = await context.client.workflow
      .getHandle(regionWorkflowId(region))
      .executeUpdate(setIntervalUpdate, { args: [seconds] });
    context.out(`${region}: every ${result.intervalSeconds}s, next fetch ${result.nextFetchAt ?? 'when resumed'}.`);
    return 0;
  } catch (error) {
    if (!(error instanceof WorkflowUpdateFailedError)) throw error;
    context.out(`${region}: interval unchanged: ${error.cause?.message ?? error.message}`);
    return 1;
  }
}

export type RegionAction = 'pause' | 'resume' | 'stop';

/** Pauses, resumes or gracefully stops the named regions (default: all running ones). */
export async function applyToRegions(context: CommandContext, action: RegionAction, regions: readonly string[]): Promise<ExitCode> {
  const workflowIds = await listRegionWorkflows(context.client, context.settings, regions);
  if (workflowIds.length === 0) {
    context.out('No region workflow is running.');
    return 1;
  }
  for (const workflowId of workflowIds) {
    const handle = context.client.workflow.getHandle(workflowId);
    if (action === 'stop') {
      await handle.signal(stopSignal);
      context.out(`${workflowId}: stopping after the step under way.`);
    } else {
      const health = await handle.executeUpdate(action === 'pause' ? pauseUpdate : resumeUpdate);
      context.out(`${workflowId}: ${health.status}.`);
    }
  }
  return 0;
}
