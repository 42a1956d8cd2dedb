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
  const query = `${regionWorkflowsQuery(settings.TEMPORAL_TASK_QUEUE)} AND ExecutionStatus = 'Running'`;
  for await (const workflow of client.workflow.list({ query })) ids.push(workflow.workflowId);
  return ids.sort();
}

/** Temporal visibility query for the region workflows of a task queue, running or closed. */
export function regionWorkflowsQuery(taskQueue: string): string {
  return `WorkflowType = 'regionWorkflow' AND TaskQueue = '${taskQueue}'`;
}
