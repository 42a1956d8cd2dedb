/**
 * `ApplicationFailure.type` values shared by activities (which throw them) and workflows (which
 * branch on them). Plain constants only: this module is bundled into the workflow sandbox.
 */
export const FailureType = {
  /** WattTime answered 401 to a data call, or this worker holds no token for the account. */
  TokenRejected: 'WattTimeTokenRejected',
  /** `/login` refused the credentials (401/403). Permanent until the operator fixes them. */
  InvalidCredentials: 'WattTimeInvalidCredentials',
  /** 403 "Invalid scope": region or signal type outside the account's plan. Permanent. */
  OutOfPlan: 'WattTimeOutOfPlan',
  /**
   * 403 whose body is not WattTime's own "Invalid scope" (a CDN, proxy or firewall page): no plan
   * limit, so it is told apart from `OutOfPlan`. Not retried within a fetch; the next fetch tries again.
   */
  Forbidden: 'WattTimeForbidden',
  /** 400/422: a request WattTime will never accept. Permanent. */
  BadRequest: 'WattTimeBadRequest',
  /** 429: retried after `Retry-After` (when given) by the activity retry policy. */
  RateLimited: 'WattTimeRateLimited',
  /** 5xx, network error or timeout. Transient. */
  Unavailable: 'WattTimeUnavailable',
  /** Body is not JSON or not the documented shape. Permanent for this call. */
  MalformedResponse: 'WattTimeMalformedResponse',
  /** InfluxDB could not be reached, or answered 5xx / 429. Transient. */
  StorageUnavailable: 'InfluxDBUnavailable',
  /**
   * InfluxDB refused the write for good (400 field type conflict or bad points, 401/403 token,
   * 404 bucket missing, 413 too large). Needs the operator; the readings are held meanwhile.
   */
  StorageRejected: 'InfluxDBRejected',
} as const;

export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];

/** Failure types the activity retry policy must not retry. */
export const nonRetryableFailureTypes: readonly FailureTypeName[] = [
  FailureType.TokenRejected,
  FailureType.InvalidCredentials,
  FailureType.OutOfPlan,
  FailureType.Forbidden,
  FailureType.BadRequest,
  FailureType.MalformedResponse,
  FailureType.StorageRejected,
];
