import { regionWorkflowsQuery } from '../../regions/region-workflows';
import type { CommandContext, ExitCode } from './context';

/** Lists region workflows on the task queue (running and recently closed) with their status. */
export async function listRegions(context: CommandContext): Promise<ExitCode> {
  const query = regionWorkflowsQuery(context.settings.TEMPORAL_TASK_QUEUE);
  const latest = new Map<string, string>();
  for await (const workflow of context.client.workflow.list({ query })) {
    if (!latest.has(workflow.workflowId)) latest.set(workflow.workflowId, workflow.status.name);
  }
  if (latest.size === 0) context.out('No region workflow found.');
  for (const [workflowId, status] of [...latest].sort()) context.out(`${workflowId}  ${status}`);
  return 0;
}
