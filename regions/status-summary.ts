import type { Client } from '@temporalio/client';
import type { ClientSettings } from '../config/settings';
import type { HealthStatus } from '../workflows/health';
import { parseRegionWorkflowId, regionWorkflowId } from '../workflows/ids';
import { CARBON_STATUS } from '../workflows/search-attributes';
import { isWorking, queryHealth } from './query-health';
import { regionWorkflowsQuery } from './region-workflows';

/** A region's status without its detail. */
export interface RegionStatus {
  readonly workflowId: string;
  readonly region: string;
  readonly signalType: string;
  readonly status: HealthStatus;
}

/** What `/health` and `client health` report by default, whatever the number of regions. */
export interface StatusSummary {
  /** Region workflows running: of GRID_REGIONS when set, else all on the task queue. */
  readonly running: number;
  /** Running regions that are unhealthy or paused, by workflow id. */
  readonly notWorking: RegionStatus[];
  /** Configured regions that are not running, and workflows that could not be read; one line each. */
  readonly problems: string[];
}

type RegionSettings = Pick<ClientSettings, 'GRID_REGIONS' | 'TEMPORAL_TASK_QUEUE'>;

/**
 * Which regions need a look, from Temporal's visibility store rather than one query per region:
 * each region workflow keeps its `CarbonStatus` search attribute equal to its health status, so
 * a count of the running regions and a list of those unhealthy or paused answer in about the same
 * time for 500 regions as for 10 (`npm run bench:health`). A running workflow that has not
 * published its status yet (started by an older worker, until its next change of state) is asked
 * with the `health` query instead. Regions are GRID_REGIONS when set (one not running is a
 * problem), else every running region workflow on the task queue. Visibility is eventually
 * consistent: a change of status shows here within about a second on a cluster (at once on the
 * dev server).
 *
 * @throws the client's error when Temporal cannot be reached.
 */
export async function readStatusSummary(client: Client, settings: RegionSettings): Promise<StatusSummary> {
  const configured = [...new Set(settings.GRID_REGIONS.map((region) => regionWorkflowId(region)))];
  const ofRegions = configured.length === 0 ? '' : ` AND WorkflowId IN (${configured.map((id) => `'${id}'`).join(', ')})`;
  const running = `${regionWorkflowsQuery(settings.TEMPORAL_TASK_QUEUE)} AND ExecutionStatus = 'Running'${ofRegions}`;
  const [{ count }, listed] = await Promise.all([
    client.workflow.count(running),
    listWorkflows(client, `${running} AND (${CARBON_STATUS.name} IS NULL OR ${CARBON_STATUS.name} IN ('unhealthy', 'paused'))`),
  ]);

  const problems: string[] = [];
  const notWorking: RegionStatus[] = [];
  const unpublished: string[] = [];
  for (const { workflowId, status } of listed) {
    if (status === undefined) unpublished.push(workflowId);
    else notWorking.push(regionStatus(workflowId, status));
  }
  const queried = await queryHealth(client, unpublished);
  problems.push(...queried.problems);
  for (const health of queried.healths) {
    if (!isWorking(health)) notWorking.push(regionStatus(regionWorkflowId(health.region, health.signalType), health.status));
  }
  if (count < configured.length) {
    const runningIds = new Set((await listWorkflows(client, running)).map((workflow) => workflow.workflowId));
    for (const id of configured) if (!runningIds.has(id)) problems.push(`${id} is not running`);
  }
  notWorking.sort((a, b) => (a.workflowId < b.workflowId ? -1 : a.workflowId > b.workflowId ? 1 : 0));
  return { running: count, notWorking, problems };
}

async function listWorkflows(client: Client, query: string): Promise<{ workflowId: string; status: HealthStatus | undefined }[]> {
  const workflows: { workflowId: string; status: HealthStatus | undefined }[] = [];
  for await (const workflow of client.workflow.list({ query })) {
    const status = workflow.typedSearchAttributes.get(CARBON_STATUS);
    workflows.push({ workflowId: workflow.workflowId, status: isHealthStatus(status) ? status : undefined });
  }
  return workflows;
}

const STATUSES: ReadonlySet<string> = new Set<HealthStatus>(['healthy', 'degraded', 'unhealthy', 'paused']);

function isHealthStatus(value: unknown): value is HealthStatus {
  return typeof value === 'string' && STATUSES.has(value);
}

function regionStatus(workflowId: string, status: HealthStatus): RegionStatus {
  const names = parseRegionWorkflowId(workflowId) ?? { region: workflowId, signalType: '' };
  return { workflowId, ...names, status };
}
