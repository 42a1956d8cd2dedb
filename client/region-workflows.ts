import type { Client } from '@temporalio/client';
import type { ClientSettings } from '../config/settings';
import { regionWorkflowId } from '../workflows/ids';

/**
 * The region workflow ids a command acts on: the ones named, else GRID_REGIONS, else every
 * running region workflow on the task queue (from Temporal's visibility store).
 */
export async function listRegionWorkflows(
  client: Client,
  settings: Pick<ClientSettings, 'GRID_REGIONS' | 'TEMPORAL_TASK_QUEUE'>,
  named: readonly string[] = [],
): Promise<string[]> {
  const regions = named.length > 0 ? named : settings.GRID_REGIONS;
  if (regions.length > 0) return regions.map((region) => regionWorkflowId(region));
  const ids: string[] = [];
  const query = `WorkflowType = 'regionWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${settings.TEMPORAL_TASK_QUEUE}'`;
  for await (const workflow of client.workflow.list({ query })) ids.push(workflow.workflowId);
  return ids.sort();
}
