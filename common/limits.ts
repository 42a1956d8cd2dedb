/**
 * Every limit and default shared by the settings, the workflow's input checks, the activities and
 * the WattTime client: one home, so a bound cannot drift between the places that enforce it.
 * Plain constants only: this module is bundled into the workflow sandbox.
 */

/** An inclusive whole-number range with its default. */
export interface WholeNumberRange {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

/** Seconds between fetches (`FETCH_INTERVAL_SECONDS`, the `setInterval` update). */
export const FETCH_INTERVAL_SECONDS: WholeNumberRange = { min: 60, max: 3_600, default: 300 };

/** Forecast hours stored per fetch (`FORECAST_HORIZON_HOURS`); WattTime's `horizon_hours` accepts 0–72. */
export const FORECAST_HORIZON_HOURS: WholeNumberRange = { min: 0, max: 72, default: 24 };

/**
 * WattTime's documented token lifetime, counted from when the login request was sent
 * (WATTTIME.md, "Base URL and authentication"). Used when a token does not say otherwise (JWT `exp`).
 */
export const TOKEN_LIFETIME_SECONDS = 1_800;

/**
 * Refresh a token this many seconds before it expires (`TOKEN_REFRESH_BUFFER_SECONDS`). A buffer as
 * long as the lifetime would mean a login before every fetch, so it stays below it.
 */
export const TOKEN_REFRESH_BUFFER_SECONDS: WholeNumberRange = { min: 0, max: TOKEN_LIFETIME_SECONDS - 300, default: 300 };
