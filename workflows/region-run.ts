/**
 * One run of a region workflow: its state, the fetch of one period and the wait for the next.
 * Handlers and the main loop share this object; workflow code is single-threaded, so they only
 * interleave at `await`s.
 */
import { condition, setCurrentDetails } from '@temporalio/workflow';
import type { FetchAndStoreResult } from '../activities/types';
import type { RegionActivityCalls } from './activity-calls';
import type { TokenRefreshResult } from './definitions';
import { isTokenRejected, recordedActivityError } from './failures';
import { regionHealth, statusLine, type RegionHealth } from './health';
import type { RegionConfig } from './input';
import { nextFetchTime } from './schedule';
import { recordFailure, recordSuccess, recordToken, type RegionState } from './state';
import { needsTokenRefresh } from './token-policy';

export class RegionRun {
  private stopRequested = false;
  /** Bumped whenever the schedule changes, to wake the wait for the next fetch. */
  private scheduleVersion = 0;

  constructor(
    private readonly config: RegionConfig,
    private readonly state: RegionState,
    private readonly activities: RegionActivityCalls,
  ) {}

  get stopping(): boolean {
    return this.stopRequested;
  }

  health(): RegionHealth {
    return regionHealth(this.config, this.state, Date.now(), this.stopRequested);
  }

  /** Refreshes the one-line status the Web UI shows; call after every change of state. */
  showStatus(): void {
    setCurrentDetails(statusLine(this.health()));
  }

  /**
   * Waits until the next fetch is due (true) or a stop is requested (false). Pause, resume and
   * interval changes wake it early; it then recomputes what to wait for.
   */
  async waitUntilDue(): Promise<boolean> {
    for (;;) {
      if (this.stopRequested) return false;
      if (this.state.paused) {
        await condition(() => !this.state.paused || this.stopRequested);
        continue;
      }
      const waitMs = this.state.nextFetchAtMs - Date.now();
      if (waitMs <= 0) return true;
      const version = this.scheduleVersion;
      await condition(() => this.stopRequested || this.state.paused || this.scheduleVersion !== version, waitMs, {
        summary: 'wait for the next fetch',
      });
    }
  }

  /** Fetches and stores one period (with a token first if needed) and schedules the next. */
  async fetchPeriod(): Promise<void> {
    const startedAtMs = Date.now();
    this.state.lastFetchStartedAtMs = startedAtMs;
    this.state.totalFetches += 1;
    try {
      if (needsTokenRefresh(this.state.token, startedAtMs, this.config.tokenRefreshBufferMs)) {
        await this.refreshToken(false);
      }
      const result = await this.fetchWithTokenRetry();
      recordSuccess(this.state, this.config.signalType, result, Date.now());
    } catch (error) {
      recordFailure(this.state, recordedActivityError(error, Date.now()));
    }
    this.state.nextFetchAtMs = nextFetchTime(startedAtMs, Date.now(), this.state.intervalSeconds);
    this.showStatus();
  }

  /**
   * Asks the worker for a token. When an unforced call comes back with a token that is still
   * inside the buffer (the worker's cache judged it fresh by its own clock and buffer), it logs
   * in after all, so the workflow never keeps asking for a token it will not get.
   */
  async refreshToken(force: boolean): Promise<TokenRefreshResult> {
    let result = await this.activities.ensureToken(force);
    if (!force && needsTokenRefresh(result, Date.now(), this.config.tokenRefreshBufferMs)) {
      result = await this.activities.ensureToken(true);
    }
    recordToken(this.state, result, Date.now());
    this.showStatus();
    return { tokenExpiresAt: new Date(result.expiresAtMs).toISOString(), tokenId: result.tokenId, loggedIn: result.loggedIn };
  }

  setInterval(seconds: number): void {
    this.state.intervalSeconds = seconds;
    const last = this.state.lastFetchStartedAtMs;
    if (last !== null) this.state.nextFetchAtMs = nextFetchTime(last, Date.now(), seconds);
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

  /** A rejected token (401, or none held by this worker) gets one forced refresh and one more try. */
  private async fetchWithTokenRetry(): Promise<FetchAndStoreResult> {
    const input = {
      region: this.config.region,
      signalType: this.config.signalType,
      forecastHorizonHours: this.config.forecastHorizonHours,
    };
    try {
      return await this.activities.fetchAndStore(input);
    } catch (error) {
      if (!isTokenRejected(error)) throw error;
      this.state.token = null;
      this.state.tokenRetries401 += 1;
      await this.refreshToken(true);
      return await this.activities.fetchAndStore(input, 'retry after 401');
    }
  }
}
