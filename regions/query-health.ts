import type { Client } from '@temporalio/client';
import { healthQuery } from '../workflows/definitions';
import type { RegionHealth } from '../workflows/health';

export interface HealthAnswers {
  readonly healths: RegionHealth[];
  /** Workflows that could not be queried (not running, no worker…), one line each. */
  readonly problems: string[];
}

/** Queries each workflow's `health`; a failed query is reported, not thrown. */
export async function queryHealth(client: Client, workflowIds: readonly string[]): Promise<HealthAnswers> {
  const answers = await Promise.all(
    workflowIds.map(async (workflowId) => {
      try {
        return { health: await client.workflow.getHandle(workflowId).query(healthQuery) };
      } catch (error) {
        return { problem: `${workflowId} cannot be queried: ${(error as Error).message}` };
      }
    }),
  );
  return {
    healths: answers.flatMap((answer) => (answer.health ? [answer.health] : [])),
    problems: answers.flatMap((answer) => (answer.problem ? [answer.problem] : [])),
  };
}

/** Healthy and degraded regions are working; unhealthy and paused ones need a look. */
export function isWorking(health: Pick<RegionHealth, 'status'>): boolean {
  return health.status === 'healthy' || health.status === 'degraded';
}
