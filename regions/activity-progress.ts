import type { WorkflowHandle } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { FetchInProgress } from '../workflows/fetch-progress';

/**
 * A fetch in progress with what Temporal knows of the activity running now (`describe()`'s
 * pending activities): its name, attempt, why the previous attempt failed and when the next one
 * is due. A region runs one activity at a time. When Temporal cannot say, the fetch is returned
 * as the workflow reported it.
 */
export async function withActivityProgress(handle: WorkflowHandle, fetch: FetchInProgress): Promise<FetchInProgress> {
  let pending;
  try {
    pending = (await handle.describe()).raw.pendingActivities?.[0];
  } catch {
    return fetch;
  }
  if (pending === undefined || pending === null) return fetch;
  const failure = pending.lastFailure;
  const nextAttemptAtMs = optionalTsToMs(pending.nextAttemptScheduleTime);
  return {
    ...fetch,
    activity: pending.activityType?.name ?? 'unknown',
    attempt: pending.attempt ?? 1,
    lastFailure:
      failure === null || failure === undefined
        ? null
        : { type: failure.applicationFailureInfo?.type ?? (failure.timeoutFailureInfo ? 'TimeoutFailure' : 'Failure'), message: failure.message ?? '' },
    nextAttemptAt: nextAttemptAtMs === undefined ? null : new Date(nextAttemptAtMs).toISOString(),
  };
}
