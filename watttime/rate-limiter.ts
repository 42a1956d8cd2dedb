import { setTimeout as delay } from 'node:timers/promises';
import { WATTTIME_CALLS_PER_5_MINUTES } from '../common/limits';

export interface RateLimiterOptions {
  /** Calls allowed in any rolling window. */
  limit: number;
  windowMs: number;
  /** Injectable clock and sleep so tests can simulate minutes in microseconds. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Rolling-window limiter: at most `limit` calls in any `windowMs`, i.e. a call at time t holds
 * its slot until t + windowMs. Waiters are served first come, first served, so a burst from many
 * regions drains in order instead of starving one of them.
 */
export class RateLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Grant times still inside the window, oldest first. */
  private readonly grants: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(options: RateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`limit must be a positive integer, got ${options.limit}`);
    }
    if (!(options.windowMs > 0)) {
      throw new RangeError(`windowMs must be positive, got ${options.windowMs}`);
    }
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => delay(ms));
  }

  /** Resolves once a slot is free, and takes it. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.takeSlot());
    // A failing sleep must not wedge everyone queued behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async takeSlot(): Promise<void> {
    for (;;) {
      const now = this.now();
      let oldest = this.grants[0];
      while (oldest !== undefined && oldest <= now - this.windowMs) {
        this.grants.shift();
        oldest = this.grants[0];
      }
      if (oldest === undefined || this.grants.length < this.limit) {
        this.grants.push(now);
        return;
      }
      await this.sleep(oldest + this.windowMs - now);
    }
  }
}

/**
 * WattTime's per-user limits: 3,000 requests and 100 logins per rolling 5 minutes. The request
 * budget is the default of `WATTTIME_CALLS_PER_5_MINUTES`, for plans with another limit.
 */
export const WATTTIME_CALL_LIMIT = WATTTIME_CALLS_PER_5_MINUTES.default;
export const WATTTIME_LOGIN_LIMIT = 100;
export const WATTTIME_RATE_WINDOW_MS = 5 * 60_000;

/** The two budgets of one WattTime account, shared by every region that uses the account. */
export interface AccountLimiters {
  /** Every request. Logins are counted here too: whether WattTime does is unknown, so we err safe. */
  calls: RateLimiter;
  logins: RateLimiter;
}

export interface AccountLimiterOptions extends Pick<RateLimiterOptions, 'now' | 'sleep'> {
  /** Requests per rolling 5 minutes (`WATTTIME_CALLS_PER_5_MINUTES`); default `WATTTIME_CALL_LIMIT`. */
  readonly callsPer5Minutes?: number;
}

/**
 * The account's two budgets on one clock.
 *
 * @throws RangeError when `callsPer5Minutes` is not a positive integer.
 */
export function createAccountLimiters(options: AccountLimiterOptions = {}): AccountLimiters {
  const { callsPer5Minutes = WATTTIME_CALL_LIMIT, ...clock } = options;
  return {
    calls: new RateLimiter({ limit: callsPer5Minutes, windowMs: WATTTIME_RATE_WINDOW_MS, ...clock }),
    logins: new RateLimiter({ limit: WATTTIME_LOGIN_LIMIT, windowMs: WATTTIME_RATE_WINDOW_MS, ...clock }),
  };
}
