import { HttpError } from '@influxdata/influxdb-client';
import { FailureType } from '../common/failure-types';
import { parseRetryAfterMs } from '../watttime/retry-after';
import { serverMessage } from '../watttime/server-message';

/*
 * How an InfluxDB write failed, in the two kinds the workflow tells apart. Like `WattTimeError`,
 * neither carries a `cause` (library errors hold request details and Temporal copies causes into
 * history); messages name the server and bucket, never the token.
 */

/**
 * InfluxDB could not be reached, timed out, or answered 5xx / 408 / 429. Transient: retried with
 * backoff, after `retryAfterMs` when the server sent `Retry-After`.
 */
export class StorageUnavailableError extends Error {
  readonly kind = FailureType.StorageUnavailable;

  constructor(
    message: string,
    /** From `Retry-After` (seconds or HTTP-date) when InfluxDB sent it. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'StorageUnavailableError';
  }
}

/**
 * InfluxDB refused the write for good: 400 (a field type conflict, or points it cannot parse),
 * 401/403 (the token), 404 (the bucket is missing), 413 (too large), or another 4xx. Retrying
 * cannot help until the operator acts, so it is not retried; the message names the cause.
 */
export class StorageRejectedError extends Error {
  readonly kind = FailureType.StorageRejected;

  constructor(message: string) {
    super(message);
    this.name = 'StorageRejectedError';
  }
}

export type StorageError = StorageUnavailableError | StorageRejectedError;

export interface FailedWrite {
  /** Where the write went, e.g. `InfluxDB http://127.0.0.1:8086 bucket "carbon"`: no credentials. */
  readonly target: string;
  readonly measurement: string;
  /** Masked wherever the server's answer might echo them (the token). */
  readonly secrets: readonly string[];
  readonly nowMs: number;
}

/** Statuses that say "later", not "never". */
const TRANSIENT_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 429]);

/**
 * The typed error for a failed write: an HTTP answer by its status (see the two classes), anything
 * else (connection refused, DNS, timeout) as unreachable. Sources: InfluxDB's v2 write API
 * (2.x answers `{code, message}`, 1.x `{error}`).
 */
export function storageError(error: unknown, write: FailedWrite): StorageError {
  const { target, measurement, secrets } = write;
  if (!(error instanceof HttpError)) {
    return new StorageUnavailableError(`${target}: write of ${measurement} failed: ${unreachable(error, secrets)}`);
  }
  const status = error.statusCode;
  const answered = `answered ${status}: ${serverMessage(error.body ?? error.message, secrets)}`;
  if (status >= 500 || TRANSIENT_CLIENT_STATUSES.has(status)) {
    const retryAfterMs = parseRetryAfterMs(headerValue(error.headers?.['retry-after']), write.nowMs);
    const wait = retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
    return new StorageUnavailableError(`${target}: write of ${measurement} failed: ${answered}${wait}`, retryAfterMs);
  }
  return new StorageRejectedError(`${target} rejected the write of ${measurement}: ${rejectionCause(status, answered)} (${answered})`);
}

/** What the operator has to fix, in one phrase. */
function rejectionCause(status: number, answered: string): string {
  if (status === 401 || status === 403) {
    return 'auth refused: check INFLUXDB_TOKEN and its permission to write to the bucket';
  }
  if (status === 404) return 'bucket missing: create it, or fix INFLUXDB_BUCKET (for InfluxDB 1.x, the database)';
  if (status === 413) return 'request too large for the server';
  if (/field type conflict/i.test(answered)) {
    return 'field type conflict: the measurement already holds a field of this name with another type (e.g. integers an older service wrote); drop the measurement or use another bucket';
  }
  return 'points refused';
}

function unreachable(error: unknown, secrets: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  // Node's own messages usually name the code already ("connect ECONNREFUSED …").
  const named = code === '' || message.includes(code) ? '' : ` (${code})`;
  return `unreachable${named}: ${serverMessage(message, secrets)}`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
