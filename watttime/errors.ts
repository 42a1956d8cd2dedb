import { FailureType, type FailureTypeName } from '../common/failure-types';

/**
 * What a WattTime error knows about the failed call. Everything here may end up in logs, error
 * messages and Temporal history, so it must never hold a password, a token or a header.
 */
export interface WattTimeErrorDetails {
  /** Path of the endpoint, e.g. `/v3/forecast`; never a query string. */
  endpoint: string;
  /** HTTP status, when the server answered at all. */
  status?: number;
  /** The `x-request-id` response header, which WattTime support can trace. */
  requestId?: string;
  /** Readable reason, e.g. the server's own message text. */
  detail: string;
}

export interface RateLimitedErrorDetails extends WattTimeErrorDetails {
  /** From `Retry-After` (seconds or HTTP-date) when the server sent it. */
  retryAfterMs?: number;
}

/** The serialisable view of an error, used by `toJSON` so structured logs keep the message. */
export interface WattTimeErrorJson {
  name: string;
  kind: FailureTypeName;
  message: string;
  endpoint: string;
  status?: number;
  requestId?: string;
  retryAfterMs?: number;
}

function describe(details: WattTimeErrorDetails): string {
  const answered = details.status === undefined ? '' : ` answered ${details.status}`;
  const request = details.requestId === undefined ? '' : ` (request ${details.requestId})`;
  return `WattTime ${details.endpoint}${answered}${request}: ${details.detail}`;
}

/**
 * Base of every failure talking to WattTime. `kind` is the `ApplicationFailure.type` the
 * workflows branch on. No `cause` is ever attached: library errors can carry request details,
 * and Temporal copies causes into history.
 */
export abstract class WattTimeError extends Error {
  abstract readonly kind: FailureTypeName;
  readonly endpoint: string;
  readonly status?: number;
  readonly requestId?: string;

  constructor(details: WattTimeErrorDetails) {
    super(describe(details));
    this.name = new.target.name;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.requestId = details.requestId;
  }

  toJSON(): WattTimeErrorJson {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      endpoint: this.endpoint,
      status: this.status,
      requestId: this.requestId,
    };
  }
}

/** 401 on a data call, or no usable token held: the workflow refreshes the token and retries once. */
export class TokenRejectedError extends WattTimeError {
  readonly kind = FailureType.TokenRejected;
}

/** `/login` answered 401 or 403: retrying cannot help until the operator fixes the credentials. */
export class InvalidCredentialsError extends WattTimeError {
  readonly kind = FailureType.InvalidCredentials;
}

/** 403 "Invalid scope…" on a data call: a plan limit, never a token problem. */
export class OutOfPlanError extends WattTimeError {
  readonly kind = FailureType.OutOfPlan;
}

/**
 * 403 on a data call whose body is not WattTime's "Invalid scope" (e.g. a CDN or proxy's HTML
 * page): the message names the host that answered and quotes a short excerpt of the body.
 */
export class ForbiddenError extends WattTimeError {
  readonly kind = FailureType.Forbidden;
}

/** 400/422 (or another 4xx): WattTime will never accept this request as it stands. */
export class BadRequestError extends WattTimeError {
  readonly kind = FailureType.BadRequest;
}

/** 429: back off, for `retryAfterMs` when the server said how long. */
export class RateLimitedError extends WattTimeError {
  readonly kind = FailureType.RateLimited;
  readonly retryAfterMs?: number;

  constructor(details: RateLimitedErrorDetails) {
    super(details);
    this.retryAfterMs = details.retryAfterMs;
  }

  override toJSON(): WattTimeErrorJson {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** 5xx, network error or timeout: transient, retried with backoff. */
export class UnavailableError extends WattTimeError {
  readonly kind = FailureType.Unavailable;
}

/** Body not JSON, or not the documented shape; `detail` names the field that failed. */
export class MalformedResponseError extends WattTimeError {
  readonly kind = FailureType.MalformedResponse;
}

/** The call's answer, or its 403 "Invalid scope" as a value: for calls whose refusal is survivable. */
export async function unlessOutOfPlan<T>(call: Promise<T>): Promise<T | OutOfPlanError> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof OutOfPlanError) return error;
    throw error;
  }
}
