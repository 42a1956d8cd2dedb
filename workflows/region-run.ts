/**
 * One run of a region workflow: its state, the fetch of one period and the wait for the next.
 * Handlers and the main loop share this object; workflow code is single-threaded, so they only
 * interleave at `await`s.
 */
import { condition, patched, setCurrentDetails } from '@temporalio/workflow';
import type { FetchAndStoreResult } from '../activities/types';
import { FailureType } from '../common/failure-types';
import { summaries, type ActivityCalls } from './activity-calls';
import { firstChunk, periodsIn, type PeriodRange } from './backfill-queue';
import type { TokenRefreshResult } from './definitions';
import { isTokenRejected, recordedActivityError } from './failures';
import { finalValuesDue, finalValuesRange, noteLivePeriod, recordFinalValues } from './final-values';
import { HELD_PER_WRITE, holdReadings, noteStored, recordStorageFailure, releaseHeld } from './held-readings';
import { regionHealth, statusLine, type RegionHealth } from './health';
import type { RegionConfig } from './input';
import { FETCH_OK, type RegionMetrics } from './region-metrics';
import { dataPeriodMs, nextFetchTime, slotAfter } from './schedule';
import { publishStatus } from './status-search-attribute';
import {
  isStorageFailure,
  queueGap,
  recordBackfill,
  recordBackfillFailure,
  recordFailure,
  recordSuccess,
  recordToken,
  type RegionState,
} from './state';
import { needsTokenRefresh, proactiveRefreshAtMs, TOKEN_CLOCK_SLACK_MS } from './token-policy';

/**
 * Marks runs that backfill gaps. Histories recorded before backfill existed counted every gap as
 * missed at once; replaying them takes that branch again.
 */
export const BACKFILL_PATCH = 'backfill-gaps';

/**
 * Marks runs that hold readings InfluxDB did not take (`fetchAndStore`'s `notStored`) and write
 * them later with `storeHeld`. Code before it treated every fetch result as stored.
 */
export const HOLD_PATCH = 'hold-unstored-readings';

/** Marks runs that replace live estimates with WattTime's final values once an hour. */
export const FINAL_VALUES_PATCH = 'final-values';

/**
 * Marks runs whose forced refresh after a 401 names the token the workflow held, so the worker
 * skips the login when another region's forced login has replaced that token already. Histories
 * recorded before it asked without the id.
 */
export const REJECTED_TOKEN_PATCH = 'name-rejected-token';

/**
 * Marks runs that fetch at the region's offset in its fetch window (`fetchWindowSeconds`). A
 * workflow given a window but run by a worker from before the window existed fetched at +30 s;
 * replaying that history takes the same slots. Asked only when the offset is not 0, so runs
 * without a window record no marker.
 */
export const SPREAD_PATCH = 'spread-fetch-window';

export class RegionRun {
  private stopRequested = false;
  /** Bumped whenever the schedule changes, to wake the wait for the next fetch. */
  private scheduleVersion = 0;
  /** Set when a token refresh failed: none is tried between fetches until the next fetch. */
  private refreshBetweenFetchesHeld = false;
  /**
   * Set when this period's own write was refused for good (`InfluxDBRejected`): held readings
   * wait for a later fetch's write to go through rather than being refused once more.
   */
  private storageRejectedThisPeriod = false;

  /** Backfilled and missed periods already counted in `metrics`. */
  private readonly settledPeriods: { backfilled: number; missed: number };
  /** When the fetch under way started (workflow time), or null between fetches. */
  private fetchingSinceMs: number | null = null;

  constructor(
    private readonly config: RegionConfig,
    private readonly state: RegionState,
    private readonly activities: ActivityCalls,
    private readonly metrics: RegionMetrics,
  ) {
    this.settledPeriods = { backfilled: state.backfilledPeriods, missed: state.missedPeriods };
  }

  get stopping(): boolean {
    return this.stopRequested;
  }

  health(): RegionHealth {
    const fetchInProgress = this.fetchingSinceMs === null ? null : { since: new Date(this.fetchingSinceMs).toISOString() };
    return { ...regionHealth(this.config, this.state, Date.now(), this.stopRequested), fetchInProgress };
  }

  /**
   * Refreshes the one-line status the Web UI shows and the `CarbonStatus` search attribute; call
   * after every change of state.
   */
  showStatus(): void {
    const health = this.health();
    setCurrentDetails(statusLine(health));
    publishStatus(health.status);
  }

  /**
   * Waits until the next fetch is due (true) or a stop is requested (false), keeping the token
   * fresh meanwhile: it also wakes when the held token enters its refresh window and refreshes
   * it (see `refreshBetweenFetches`), then waits on for the fetch. One timer per wait, for
   * whichever comes first. Pause, resume, interval changes and a token obtained by the
   * `refreshToken` update wake it early; it then recomputes what to wait for.
   *
   * A paused workflow does not refresh: it makes no calls that need a token, so it holds no
   * login worth keeping (a long pause would otherwise log in every ~25 minutes for nothing). Its
   * token may run out meanwhile; the first fetch after resume refreshes it as needed.
   */
  async waitUntilDue(): Promise<boolean> {
    for (;;) {
      if (this.stopRequested) return false;
      if (this.state.paused) {
        await condition(() => !this.state.paused || this.stopRequested);
        continue;
      }
      const nowMs = Date.now();
      const fetchAtMs = this.state.nextFetchAtMs;
      // The fetch comes first when both are due: it refreshes the token itself when needed.
      if (fetchAtMs <= nowMs) return true;
      const refreshAtMs = this.refreshBetweenFetchesHeld
        ? null
        : proactiveRefreshAtMs(this.state.token, this.state.lastTokenRefreshAtMs, this.config.tokenRefreshBufferMs);
      if (refreshAtMs !== null && refreshAtMs <= nowMs) {
        await this.refreshBetweenFetches();
        continue;
      }
      const forToken = refreshAtMs !== null && refreshAtMs < fetchAtMs;
      const wakeAtMs = forToken ? refreshAtMs : fetchAtMs;
      const version = this.scheduleVersion;
      const token = this.state.token;
      const woken = await condition(
        () => this.stopRequested || this.state.paused || this.scheduleVersion !== version || this.state.token !== token,
        wakeAtMs - nowMs,
        { summary: forToken ? 'wait to refresh the token' : 'wait for the next fetch' },
      );
      if (woken) continue;
      // The timer fired, so what it waited for is due. Acting on the timer rather than comparing
      // Date.now() again keeps replay exact: after a worker crash, the activation that delivers
      // a fired timer can carry an older timestamp live than on replay.
      if (!forToken) return true;
      await this.refreshBetweenFetches();
    }
  }

  /**
   * Fetches and stores one period (with a token first if needed) and schedules the next. While it
   * runs, health shows it in progress and `nextFetchAt` names the next slot, which every call of
   * this fetch (retries included) ends before: a fetch WattTime keeps refusing fails within its
   * own interval, and the next period is fetched on time.
   */
  async fetchPeriod(): Promise<void> {
    const startedAtMs = Date.now();
    this.refreshBetweenFetchesHeld = false;
    this.storageRejectedThisPeriod = false;
    this.fetchingSinceMs = startedAtMs;
    this.state.lastFetchStartedAtMs = startedAtMs;
    this.state.nextFetchAtMs = slotAfter(startedAtMs, this.state.intervalSeconds, this.fetchOffsetMs);
    this.state.totalFetches += 1;
    this.showStatus();
    try {
      if (needsTokenRefresh(this.state.token, startedAtMs, this.config.tokenRefreshBufferMs)) {
        await this.refreshToken(false).catch((error: unknown) => {
          // The login was just tried: none between fetches either, until the next fetch.
          this.refreshBetweenFetchesHeld = true;
          throw error;
        });
      }
      const result = await this.fetchWithTokenRetry();
      const succeededAtMs = Date.now();
      const gap = recordSuccess(this.state, result, this.periodMs, succeededAtMs);
      this.noteWhereStored(result);
      if (gap !== null) this.noteGap(gap);
      this.metrics.fetched(FETCH_OK);
      this.metrics.stored(result.reading, succeededAtMs);
    } catch (error) {
      const recorded = recordedActivityError(error, Date.now());
      recordFailure(this.state, recorded);
      this.metrics.fetched(recorded.type);
    }
    this.fetchingSinceMs = null;
    this.state.nextFetchAtMs = nextFetchTime(startedAtMs, Date.now(), this.state.intervalSeconds, this.fetchOffsetMs);
    this.countSettledPeriods();
    this.showStatus();
  }

  /**
   * Writes the readings held while InfluxDB refused them, oldest first, in batches of
   * `HELD_PER_WRITE`, until none is left or a write fails (the rest wait for the next period).
   * Skipped while paused, and in a period whose own write InfluxDB refused for good.
   */
  async storeHeld(): Promise<void> {
    if (this.state.heldReadings.length === 0 || this.state.paused || this.storageRejectedThisPeriod) return;
    while (this.state.heldReadings.length > 0) {
      const input = { region: this.config.region, signalType: this.config.signalType, readings: this.state.heldReadings.slice(0, HELD_PER_WRITE) };
      try {
        await this.activities.storeHeld(summaries.storeHeld(input), input, this.state.nextFetchAtMs);
        releaseHeld(this.state, input.readings);
      } catch (error) {
        recordStorageFailure(this.state, recordedActivityError(error, Date.now()));
        break;
      }
    }
    this.showStatus();
  }

  /**
   * Backfills the oldest gap's first chunk (at most 10 days) right after a successful fetch:
   * WattTime is answering and the current period is already stored. One chunk per period keeps
   * the schedule; a longer gap is worked off over the next periods. Not while readings are held:
   * InfluxDB is not taking writes.
   */
  async backfillNext(): Promise<void> {
    const gap = this.state.backfillQueue[0];
    if (gap === undefined || this.state.consecutiveFailures > 0 || this.state.heldReadings.length > 0 || this.state.paused || this.stopRequested) {
      return;
    }
    const chunk = firstChunk(gap, this.periodMs);
    const input = {
      region: this.config.region,
      signalType: this.config.signalType,
      firstPointTime: new Date(chunk.firstMs).toISOString(),
      lastPointTime: new Date(chunk.lastMs).toISOString(),
    };
    try {
      const summary = summaries.backfill(input, periodsIn(chunk, this.periodMs));
      const result = await this.activities.backfill(summary, input, this.state.nextFetchAtMs);
      recordBackfill(this.state, chunk, result, this.periodMs, Date.now());
    } catch (error) {
      recordBackfillFailure(this.state, chunk, recordedActivityError(error, Date.now()), this.periodMs);
    }
    this.countSettledPeriods();
    this.showStatus();
  }

  /**
   * Once an hour, replaces the recent live estimates with WattTime's final values and imputed
   * marker from `/v3/historical` (the backfill activity; see final-values.ts). Where the plan has
   * no historical access the activity asks nothing. A failure is recorded as the latest error
   * only (no period is lost: the live values stay) and tried again an hour later.
   */
  async finalizeRecent(): Promise<void> {
    const nowMs = Date.now();
    if (this.state.paused || this.stopRequested || !finalValuesDue(this.state, nowMs)) return;
    if (!patched(FINAL_VALUES_PATCH)) return;
    this.state.finalValuesCheckedAtMs = nowMs;
    const range = finalValuesRange(this.state, nowMs, this.periodMs);
    if (range === null) return;
    const input = {
      region: this.config.region,
      signalType: this.config.signalType,
      firstPointTime: new Date(range.firstMs).toISOString(),
      lastPointTime: new Date(range.lastMs).toISOString(),
    };
    try {
      const result = await this.activities.backfill(summaries.finalValues(input, periodsIn(range, this.periodMs)), input, this.state.nextFetchAtMs);
      recordFinalValues(this.state, range, result, this.periodMs);
    } catch (error) {
      const recorded = recordedActivityError(error, Date.now());
      if (isStorageFailure(recorded)) recordStorageFailure(this.state, recorded);
      else this.state.lastError = recorded;
      // A rejected token is forgotten, so the next fetch logs in.
      if (recorded.type === FailureType.TokenRejected) this.state.token = null;
    }
    this.showStatus();
  }

  /**
   * Asks the worker for a token valid past this workflow's refresh window. The worker's shared
   * token is reused when it qualifies (another region refreshed moments ago); otherwise the worker
   * logs in once for every region that asks meanwhile. A forced refresh after a 401 names the
   * rejected token (`rejectedTokenId`), so a token that already replaced it serves instead.
   */
  async refreshToken(force: boolean, rejectedTokenId?: string): Promise<TokenRefreshResult> {
    const validUntilMs = Date.now() + this.config.tokenRefreshBufferMs + TOKEN_CLOCK_SLACK_MS;
    const input = { force, validUntilMs, ...(rejectedTokenId === undefined ? {} : { rejectedTokenId }) };
    const result = await this.activities.ensureToken(summaries.ensureToken(this.config.region, force), input, this.state.nextFetchAtMs);
    recordToken(this.state, result, Date.now());
    this.showStatus();
    return { tokenExpiresAt: new Date(result.expiresAtMs).toISOString(), tokenId: result.tokenId, loggedIn: result.loggedIn };
  }

  /**
   * The token refresh of `waitUntilDue`: the same path as at fetch time, so another region's
   * fresher token is reused when the worker holds one. A failure is recorded as the latest error
   * only — no period was fetched, so it is no failed fetch — and no further refresh is tried
   * before the next fetch, which refreshes the token itself if it still needs to (a failure there
   * is a failed fetch, and holds these refreshes until the fetch after). So a login that keeps
   * failing is tried once per fetch (and once more at most before the first), never in a loop.
   */
  private async refreshBetweenFetches(): Promise<void> {
    try {
      await this.refreshToken(false);
    } catch (error) {
      this.state.lastError = recordedActivityError(error, Date.now());
      this.refreshBetweenFetchesHeld = true;
      this.showStatus();
    }
  }

  setInterval(seconds: number): void {
    this.state.intervalSeconds = seconds;
    const last = this.state.lastFetchStartedAtMs;
    if (last !== null) this.state.nextFetchAtMs = nextFetchTime(last, Date.now(), seconds, this.fetchOffsetMs);
    this.scheduleVersion += 1;
    this.showStatus();
  }

  pause(): void {
    this.state.paused = true;
    this.showStatus();
  }

  /** A slot that went by while paused is fetched at once. */
  resume(): void {
    this.state.paused = false;
    this.state.nextFetchAtMs = Math.max(this.state.nextFetchAtMs, Date.now());
    this.showStatus();
  }

  requestStop(): void {
    this.stopRequested = true;
    this.showStatus();
  }

  /** The region's offset in its fetch window (ms), or 0 in history recorded without one. */
  private get fetchOffsetMs(): number {
    return this.config.fetchOffsetMs > 0 && patched(SPREAD_PATCH) ? this.config.fetchOffsetMs : 0;
  }

  private get periodMs(): number {
    return dataPeriodMs(this.config.signalType);
  }

  /** Where the fetched reading went: InfluxDB, or the held readings when InfluxDB did not take it. */
  private noteWhereStored(result: FetchAndStoreResult): void {
    const pointMs = Date.parse(result.reading.pointTime);
    if (result.reading.value !== null) noteLivePeriod(this.state, pointMs, this.periodMs, Date.now());
    if (result.notStored !== undefined && patched(HOLD_PATCH)) {
      holdReadings(this.state, result.notStored, this.periodMs, Date.now());
      this.storageRejectedThisPeriod = result.notStored.failure.type === FailureType.StorageRejected;
    } else {
      noteStored(this.state, pointMs);
    }
  }

  /** Counts the periods settled as backfilled or missed since the last count. */
  private countSettledPeriods(): void {
    const { backfilledPeriods, missedPeriods } = this.state;
    this.metrics.periodsSettled(backfilledPeriods - this.settledPeriods.backfilled, missedPeriods - this.settledPeriods.missed);
    this.settledPeriods.backfilled = backfilledPeriods;
    this.settledPeriods.missed = missedPeriods;
  }

  private noteGap(gap: PeriodRange): void {
    if (patched(BACKFILL_PATCH)) queueGap(this.state, gap, this.periodMs);
    else this.state.missedPeriods += periodsIn(gap, this.periodMs);
  }

  /** A token WattTime rejected (401) gets one forced refresh and one more try. */
  private async fetchWithTokenRetry(): Promise<FetchAndStoreResult> {
    const input = {
      region: this.config.region,
      signalType: this.config.signalType,
      forecastHorizonHours: this.config.forecastHorizonHours,
    };
    try {
      return await this.activities.fetchAndStore(summaries.fetchAndStore(input), input, this.state.nextFetchAtMs);
    } catch (error) {
      if (!isTokenRejected(error)) throw error;
      const rejectedTokenId = this.state.token?.tokenId;
      this.state.token = null;
      this.state.tokenRetries401 += 1;
      this.metrics.tokenRetried();
      await this.refreshToken(true, patched(REJECTED_TOKEN_PATCH) ? rejectedTokenId : undefined);
      return await this.activities.fetchAndStore(summaries.fetchAndStore(input, 'retry after 401'), input, this.state.nextFetchAtMs);
    }
  }
}
