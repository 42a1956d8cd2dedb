import { FailureType, type FailureTypeName } from '../../common/failure-types';

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
  readonly kind: FailureTypeName;
  readonly endpoint: string;
  readonly status?: number;
  readonly requestId?: string;

  protected constructor(kind: FailureTypeName, details: WattTimeErrorDetails) {
    super(describe(details));
    this.name = new.target.name;
    this.kind = kind;
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
  constructor(details: WattTimeErrorDetails) {
    super(FailureType.TokenRejected, details);
  }
}

/** `/login` answered 401 or 403: retrying cannot help until the operator fixes the credentials. */
export class InvalidCredentialsError extends WattTimeError {
  constructor(details: WattTimeErrorDetails) {
    super(FailureType.InvalidCredentials, details);
  }
}

/** 403 on a data call ("Invalid scope…" or any other body): a plan limit, never a token problem. */
export class OutOfPlanError extends WattTimeError {
  constructor(details: WattTimeErrorDetails) {
    super(FailureType.OutOfPlan, details);
  }
}

/** 400/422 (or another 4xx): WattTime will never accept this request as it stands. */
export class BadRequestError extends WattTimeError {
  constructor(details: WattTimeErrorDetails) {
    super(FailureType.BadRequest, details);
  }
}

/** 429: back off, for `retryAfterMs` when the server said how long. */
export class RateLimitedError extends WattTimeError {
  readonly retryAfterMs?: number;

  constructor(details: RateLimitedErrorDetails) {
    super(FailureType.RateLimited, details);
    this.retryAfterMs = details.retryAfterMs;
  }

  override toJSON(): WattTimeErrorJson {
    return { ...super.toJSON(), retryAfterMs: this.retryAfterMs };
  }
}

/** 5xx, network error or timeout: transient, retried with backoff. */
export class UnavailableError extends WattTimeError {
  constructor(details: WattTimeErrorDetails) {
    super(FailureType.Unavailable, details);
  }
}

/** Body not JSON, or not the documented shape; `detail` names the field that failed. */
export class MalformedResponseError extends WattTimeError {
  constructor(details: WattTimeErrorDetails) {
    super(FailureType.MalformedResponse, details);
  }
}
