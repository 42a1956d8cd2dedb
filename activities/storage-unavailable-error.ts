import { FailureType } from '../common/failure-types';

/**
 * InfluxDB refused a write or could not be reached. Transient: the activity retry policy runs the
 * whole activity again, which rewrites the same `point_time`s. Like `WattTimeError`, it carries
 * no `cause`, because library errors may hold request details and Temporal copies causes into
 * history; the message names the server and bucket, never the token.
 */
export class StorageUnavailableError extends Error {
  readonly kind = FailureType.StorageUnavailable;

  constructor(message: string) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}
