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

/**
 * Seconds after the publication offset (30 s past each aligned boundary) over which regions spread
 * their fetches (`FETCH_WINDOW_SECONDS`): each region fetches at its own stable offset in
 * [0, window), so 3,000 regions on the 300 s default are not all due in the same second.
 *
 * At most 240 s, i.e. the 5-minute period less 60 s: the last region's fetch starts 30 s + 239 s
 * = 4 min 29 s into the period, at least 31 s before the next period begins, so it fetches its own
 * period with half a minute left for retries. Aligned intervals are multiples of 300 s, so this
 * holds for every interval (window ≤ interval − 60 s). (A retry still under way at the boundary,
 * bounded by the next slot as every call is, answers the next period; the one it skipped is
 * backfilled.) Default 120 s: the burst is spread over two minutes and the last region fetches
 * 2.5 minutes into the period, leaving as long for the whole retry schedule (2 + 4 + 8 + 16 s of
 * backoff between five attempts) before the next period starts.
 */
export const FETCH_WINDOW_SECONDS: WholeNumberRange = { min: 0, max: 240, default: 120 };

/**
 * The WattTime account's data-call budget per rolling 5 minutes (`WATTTIME_CALLS_PER_5_MINUTES`):
 * 3,000 on WattTime's plans (WATTTIME.md); other plans, or an emulator raised for a benchmark, set
 * their own. At 2 calls per fetch (forecast + index) the default caps one account at 1,500 regions
 * fetching every 5 minutes.
 */
export const WATTTIME_CALLS_PER_5_MINUTES: WholeNumberRange = { min: 1, max: 1_000_000, default: 3_000 };

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
