/**
 * The values crossing the contract between the region workflow and its activities (the
 * activities themselves are typed by `RegionActivities` in `factory.ts`). Workflows import this
 * module with `import type` only; values crossing it are recorded in workflow history, so nothing here
 * may carry a password or a token — only expiry times and a non-reversible token id.
 */

export interface EnsureTokenInput {
  /** Log in even if the held token still looks valid (after a 401, or on operator request). */
  readonly force: boolean;
  /**
   * The token must stay valid until at least this instant (ms since epoch). The workflow decides
   * when it needs a fresh token; the worker's shared token satisfies every region whose deadline it
   * covers, so a hundred regions refreshing at about the same time share one login.
   */
  readonly validUntilMs?: number;
  /**
   * With `force` after a 401: the id of the token the workflow held. A worker already holding
   * another token (a region's forced login replaced it) answers with that one instead of logging in
   * again, so a revocation or a worker restart costs one login however many regions it hits.
   */
  readonly rejectedTokenId?: string;
}

export interface EnsureTokenResult {
  /** When the held token stops being valid (ms since epoch). */
  readonly expiresAtMs: number;
  /** Non-reversible id of the token (sha256 prefix), for history and logs. */
  readonly tokenId: string;
  /** Whether this call performed a login (false when another caller's fresh token was reused). */
  readonly loggedIn: boolean;
}

export interface FetchAndStoreInput {
  readonly region: string;
  /** WattTime signal type, normally `co2_moer`. */
  readonly signalType: string;
  /** Forecast horizon to request and store (0–72 h). */
  readonly forecastHorizonHours: number;
}

/** The reading written to InfluxDB for the current period. */
export interface StoredReading {
  /** WattTime's `point_time` (ISO-8601), the InfluxDB timestamp. */
  readonly pointTime: string;
  /** Current MOER from the forecast's first point; null when the plan has no forecast access. */
  readonly moerLbsMwh: number | null;
  readonly carbonIntensityGco2Kwh: number | null;
  /** From `/v3/signal-index`. */
  readonly indexPercentile: number | null;
  readonly forecast1h: number | null;
  readonly forecast24h: number | null;
}

export interface FetchAndStoreResult {
  readonly reading: StoredReading;
  /** Whether the plan gives this region forecast access (else only the index is stored). */
  readonly forecastAvailable: boolean;
  /** Count of `meta.warnings` WattTime attached to the answers (they are logged by the worker). */
  readonly warnings: number;
}

/** Past periods nobody fetched live, to recover from `/v3/historical`. */
export interface BackfillInput {
  readonly region: string;
  readonly signalType: string;
  /** First and last missing `point_time` (ISO-8601), inclusive, at most 10 days apart. */
  readonly firstPointTime: string;
  readonly lastPointTime: string;
}

export interface BackfillResult {
  /** False when the plan has no `/v3/historical` access for the region: nothing was asked. */
  readonly planAllows: boolean;
  /** Periods of the range now stored; the rest WattTime had no data for (yet). */
  readonly storedPeriods: number;
  /** The latest `point_time` stored (ISO-8601), or null when none was. */
  readonly lastStoredPointTime: string | null;
  /** Count of `meta.warnings` WattTime attached (they are logged by the worker). */
  readonly warnings: number;
}
