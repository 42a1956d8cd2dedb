/**
 * What the WattTime client reports about its requests, for the worker's Prometheus metrics
 * (activities/meter-metrics.ts). Nothing reported carries a password or a token.
 */
export interface WattTimeMetrics {
  /**
   * One HTTP request to `endpoint` (`/login`, `/v3/forecast`, …) is over: answered with `status`,
   * or failed without an answer (`status` undefined: refused, reset, timed out). `seconds` runs
   * from sending it to its response headers or its failure, rate-budget waits excluded.
   */
  requestDone(endpoint: string, status: number | undefined, seconds: number): void;
  /** A login obtained a token. */
  loggedIn(): void;
}

/** For callers that do not record metrics. */
export const noWattTimeMetrics: WattTimeMetrics = { requestDone: () => undefined, loggedIn: () => undefined };
