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

/**
 * Workflow tasks one worker process runs at once (`WORKER_MAX_CONCURRENT_WORKFLOW_TASKS`); the
 * default is the TypeScript SDK's. A steady cycle is two short workflow tasks per fetch.
 */
export const WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: WholeNumberRange = { min: 2, max: 10_000, default: 40 };

/**
 * Activities one worker process runs at once (`WORKER_MAX_CONCURRENT_ACTIVITIES`); the default is
 * the TypeScript SDK's. A fetch is one activity that mostly waits on WattTime and InfluxDB.
 */
export const WORKER_MAX_CONCURRENT_ACTIVITIES: WholeNumberRange = { min: 1, max: 10_000, default: 100 };

/**
 * Workflows one worker process keeps in memory between tasks (`WORKER_MAX_CACHED_WORKFLOWS`).
 * Unset, the SDK derives it from the V8 heap limit: (heap − 200 MiB) × 600 / 1024, about 2,300 with
 * Node's default 4 GiB heap. A region workflow evicted from the cache is replayed from its whole
 * history at its next timer, so a worker with more regions than this replays every region every
 * cycle (regions are touched in a fixed round, the worst case for a least-recently-used cache).
 */
export const WORKER_MAX_CACHED_WORKFLOWS: Omit<WholeNumberRange, 'default'> = { min: 2, max: 1_000_000 };

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
