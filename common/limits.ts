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

/** How long one attempt of a fetch or token refresh may run (its `startToCloseTimeout`). */
export const ACTIVITY_ATTEMPT_SECONDS = 30;

/**
 * How long a stopping worker lets the activities under way finish (`shutdownGraceTime`): one whole
 * attempt and a few seconds to report it. The container's stop period must be longer still
 * (`stop_grace_period` in docker-compose.yml), or Docker kills the fetch the worker is waiting for.
 */
export const SHUTDOWN_GRACE_SECONDS = ACTIVITY_ATTEMPT_SECONDS + 5;
