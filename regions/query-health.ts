import type { Client } from '@temporalio/client';
import { healthQuery } from '../workflows/definitions';
import type { RegionHealth } from '../workflows/health';
import { withActivityProgress } from './activity-progress';
import { judgedAt } from './staleness';

export interface HealthAnswers {
  readonly healths: RegionHealth[];
  /** Workflows that could not be queried (not running, no worker…), one line each. */
  readonly problems: string[];
}

/**
 * Queries each workflow's `health`, adds what Temporal knows of a fetch under way (attempt, last
 * failure) and judges staleness at the reader's clock (`judgedAt`). A failed query is reported,
 * not thrown.
 */
export async function queryHealth(client: Client, workflowIds: readonly string[]): Promise<HealthAnswers> {
  const answers = await Promise.all(
    workflowIds.map(async (workflowId) => {
      const handle = client.workflow.getHandle(workflowId);
      let health: RegionHealth;
      try {
        health = await handle.query(healthQuery);
      } catch (error) {
        return { problem: `${workflowId} cannot be queried: ${(error as Error).message}` };
      }
      const fetch = health.fetchInProgress ?? null;
      const fetchInProgress = fetch === null ? null : await withActivityProgress(handle, fetch);
      return { health: judgedAt({ ...health, fetchInProgress }, Date.now()) };
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
