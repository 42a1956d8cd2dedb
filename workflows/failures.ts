/** How the workflow reads activity failures: what to record, and what each type means for it. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../common/failure-types';

/** A failure as health reports it: type and message only, never details or causes. */
export interface RecordedError {
  /** `ApplicationFailure.type` (see common/failure-types.ts), or e.g. `TimeoutFailure`. */
  readonly type: string;
  /** The activity's message, which activities keep free of passwords and tokens. */
  readonly message: string;
  /** ISO-8601 workflow time when the failure was recorded. */
  readonly at: string;
}

/**
 * Failures only the operator can fix (credentials, plan). They make the region unhealthy at
 * once, but the loop keeps its normal cadence rather than giving up: the first fetch after the
 * fix succeeds without anyone restarting the workflow, and one failing call per interval is no
 * load on WattTime (its login limit is 100 per 5 minutes).
 */
const OPERATOR_FAILURES: ReadonlySet<string> = new Set([FailureType.InvalidCredentials, FailureType.OutOfPlan]);

export function needsOperator(error: RecordedError): boolean {
  return OPERATOR_FAILURES.has(error.type);
}

/** A call refused because WattTime rejected the token (401); a worker holding none logs in first. */
export function isTokenRejected(error: unknown): boolean {
  return (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === FailureType.TokenRejected
  );
}

/**
 * The record of a failed activity (its retries exhausted or not retryable). Anything that is not
 * an activity failure (cancellation, a bug) is rethrown: it is not a failed fetch.
 */
export function recordedActivityError(error: unknown, atMs: number): RecordedError {
  if (!(error instanceof ActivityFailure)) throw error;
  const cause = error.cause;
  const at = new Date(atMs).toISOString();
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'ApplicationFailure', message: cause.message, at };
  if (cause !== undefined) return { type: cause.name, message: cause.message, at };
  return { type: error.name, message: error.message, at };
}
