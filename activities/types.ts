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

/**
 * A period's live reading: what is written to InfluxDB for it, or held in the workflow while
 * InfluxDB refuses it. Values are as WattTime gives them, in `units`.
 */
export interface StoredReading {
  /** WattTime's `point_time` (ISO-8601), the InfluxDB timestamp. */
  readonly pointTime: string;
  /**
   * The signal's value from the forecast's first point: the MOER for `co2_moer`, the AOER for
   * `co2_aoer`, … in `units`. Null when the plan has no forecast access (the index alone).
   */
  readonly value: number | null;
  /** `meta.units` of `value` and the forecasts, e.g. `lbs_co2_per_mwh`; null with `value`. */
  readonly units: string | null;
  /** `value` converted to g CO2/kWh when it is in lbs/MWh; null for any other unit. */
  readonly carbonIntensityGco2Kwh: number | null;
  /** From `/v3/signal-index`. */
  readonly indexPercentile: number | null;
  readonly forecast1h: number | null;
  readonly forecast24h: number | null;
}

/** A failed InfluxDB write as the workflow records it: type and message only (no token). */
export interface StorageFailure {
  /** `InfluxDBUnavailable` (transient) or `InfluxDBRejected` (needs the operator). */
  readonly type: string;
  readonly message: string;
}

export interface FetchAndStoreResult {
  readonly reading: StoredReading;
  /** Whether the plan gives this region forecast access (else only the index is stored). */
  readonly forecastAvailable: boolean;
  /** Count of `meta.warnings` WattTime attached to the answers (they are logged by the worker). */
  readonly warnings: number;
  /**
   * Set when WattTime answered but InfluxDB did not take the reading: the readings fetched (the
   * current one, and the index when it came for another period), for the workflow to hold and
   * write later with `storeHeld`. Absent when everything was stored.
   */
  readonly notStored?: { readonly failure: StorageFailure; readonly readings: readonly StoredReading[] };
}

/** Readings fetched while InfluxDB refused them, to write now; oldest first. */
export interface StoreHeldInput {
  readonly region: string;
  readonly signalType: string;
  readonly readings: readonly StoredReading[];
}

export interface StoreHeldResult {
  /** Readings written: all of the input, or the activity fails. */
  readonly storedReadings: number;
}

/**
 * A `point_time` range to store from `/v3/historical` (with WattTime's imputed marker): periods
 * nobody fetched live (backfill), or recent live periods to replace with final values.
 */
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
