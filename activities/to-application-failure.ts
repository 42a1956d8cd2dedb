import { ApplicationFailure } from '@temporalio/common';
import { nonRetryableFailureTypes } from '../common/failure-types';
import { StorageUnavailableError } from './storage-unavailable-error';
import { RateLimitedError, WattTimeError } from './watttime/errors';

/** The errors activities turn into typed failures the workflow branches on. */
export type ClassifiedError = WattTimeError | StorageUnavailableError;

/**
 * The `ApplicationFailure` Temporal records for a classified error: `type` is its kind, retry
 * per `nonRetryableFailureTypes`, and a 429's `Retry-After` as the next retry delay. The message
 * is the error's own, which the WattTime client and the writer keep free of passwords and
 * tokens; no cause is attached, so nothing else reaches history. Any other error is returned
 * unchanged, for Temporal to report as it is.
 */
export function toApplicationFailure(error: ClassifiedError): ApplicationFailure;
export function toApplicationFailure(error: unknown): unknown;
export function toApplicationFailure(error: unknown): unknown {
  if (!(error instanceof WattTimeError || error instanceof StorageUnavailableError)) return error;
  return ApplicationFailure.create({
    message: error.message,
    type: error.kind,
    nonRetryable: nonRetryableFailureTypes.includes(error.kind),
    nextRetryDelay: error instanceof RateLimitedError ? error.retryAfterMs : undefined,
  });
}
