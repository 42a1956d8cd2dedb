import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../common/failure-types';
import { toApplicationFailure } from '../../activities/factory';
import { StorageRejectedError, StorageUnavailableError } from '../../activities/storage-errors';
import {
  BadRequestError,
  InvalidCredentialsError,
  MalformedResponseError,
  OutOfPlanError,
  RateLimitedError,
  TokenRejectedError,
  UnavailableError,
} from '../../watttime/errors';

const details = { endpoint: '/v3/forecast', status: 400, requestId: 'req-1', detail: 'something' };

describe('toApplicationFailure', () => {
  it.each([
    ['TokenRejectedError', new TokenRejectedError(details), FailureType.TokenRejected, true],
    ['InvalidCredentialsError', new InvalidCredentialsError(details), FailureType.InvalidCredentials, true],
    ['OutOfPlanError', new OutOfPlanError(details), FailureType.OutOfPlan, true],
    ['BadRequestError', new BadRequestError(details), FailureType.BadRequest, true],
    ['MalformedResponseError', new MalformedResponseError(details), FailureType.MalformedResponse, true],
    ['UnavailableError', new UnavailableError(details), FailureType.Unavailable, false],
    ['RateLimitedError', new RateLimitedError(details), FailureType.RateLimited, false],
    ['StorageUnavailableError', new StorageUnavailableError('InfluxDB down'), FailureType.StorageUnavailable, false],
    ['StorageRejectedError', new StorageRejectedError('InfluxDB said no'), FailureType.StorageRejected, true],
  ])('maps %s to its type and retryability', (_name, error, type, nonRetryable) => {
    const failure = toApplicationFailure(error);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type, nonRetryable, message: error.message });
    expect(failure.nextRetryDelay).toBeUndefined();
    // Nothing but the message reaches history.
    expect(failure.cause).toBeUndefined();
    expect(failure.details ?? []).toEqual([]);
  });

  it('turns a 429 Retry-After into the next retry delay', () => {
    const failure = toApplicationFailure(new RateLimitedError({ ...details, status: 429, retryAfterMs: 12_000 }));

    expect(failure).toMatchObject({ type: FailureType.RateLimited, nonRetryable: false, nextRetryDelay: 12_000 });
  });

  it("turns InfluxDB's Retry-After into the next retry delay", () => {
    const failure = toApplicationFailure(new StorageUnavailableError('InfluxDB answered 429', 30_000));

    expect(failure).toMatchObject({ type: FailureType.StorageUnavailable, nonRetryable: false, nextRetryDelay: 30_000 });
  });

  it('returns any other error unchanged', () => {
    const bug = new TypeError('not a WattTime problem');

    expect(toApplicationFailure(bug)).toBe(bug);
    expect(toApplicationFailure('a string')).toBe('a string');
  });
});
