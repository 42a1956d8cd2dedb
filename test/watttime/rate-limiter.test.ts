import { describe, expect, it } from 'vitest';
import {
  RateLimiter,
  WATTTIME_CALL_LIMIT,
  WATTTIME_RATE_WINDOW_MS,
  createAccountLimiters,
} from '../../watttime/rate-limiter';

/** A clock that only moves when someone sleeps. */
function fakeClock(startMs = 0): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    now: () => nowMs,
    sleep: async (ms) => {
      sleeps.push(ms);
      nowMs += ms;
    },
    sleeps,
  };
}

/** Largest number of grants inside any half-open window [t, t + windowMs). */
function maxInAnyWindow(grants: number[], windowMs: number): number {
  let max = 0;
  let first = 0;
  for (let last = 0; last < grants.length; last++) {
    while ((grants[last] ?? 0) - (grants[first] ?? 0) >= windowMs) first++;
    max = Math.max(max, last - first + 1);
  }
  return max;
}

describe('RateLimiter', () => {
  it('lets a burst of 5,000 calls through at no more than 3,000 per rolling 5 minutes', async () => {
    const clock = fakeClock(1_000_000);
    const limiter = new RateLimiter({
      limit: WATTTIME_CALL_LIMIT,
      windowMs: WATTTIME_RATE_WINDOW_MS,
      now: clock.now,
      sleep: clock.sleep,
    });
    const grants: number[] = [];
    await Promise.all(
      Array.from({ length: 5_000 }, () => limiter.acquire().then(() => grants.push(clock.now()))),
    );
    expect(grants).toHaveLength(5_000);
    expect(maxInAnyWindow(grants, WATTTIME_RATE_WINDOW_MS)).toBe(3_000);
    // 3,000 go at once; the other 2,000 wait exactly one window for the first slots to free.
    expect(grants.filter((t) => t === 1_000_000)).toHaveLength(3_000);
    expect(grants.filter((t) => t === 1_000_000 + WATTTIME_RATE_WINDOW_MS)).toHaveLength(2_000);
    expect(clock.now() - 1_000_000).toBe(WATTTIME_RATE_WINDOW_MS);
  });

  it('frees slots as the window rolls, not all at once', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: 2, windowMs: 1_000, now: clock.now, sleep: clock.sleep });
    const grants: number[] = [];
    await limiter.acquire();
    grants.push(clock.now());
    await clock.sleep(400);
    await limiter.acquire();
    grants.push(clock.now());
    for (let i = 0; i < 4; i++) {
      await limiter.acquire();
      grants.push(clock.now());
    }
    expect(grants).toEqual([0, 400, 1_000, 1_400, 2_000, 2_400]);
  });

  it('serves waiters in arrival order', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 100, now: clock.now, sleep: clock.sleep });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.now()).toBe(300);
  });

  it('keeps serving after a sleep fails', async () => {
    let nowMs = 0;
    let failNext = true;
    const limiter = new RateLimiter({
      limit: 1,
      windowMs: 100,
      now: () => nowMs,
      sleep: async (ms) => {
        if (failNext) {
          failNext = false;
          throw new Error('timer gone');
        }
        nowMs += ms;
      },
    });
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toThrow('timer gone');
    await limiter.acquire();
    expect(nowMs).toBe(100);
  });

  it('refuses nonsense settings', () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: 1 })).toThrow(RangeError);
    expect(() => new RateLimiter({ limit: 1, windowMs: 0 })).toThrow(RangeError);
  });

  it('gives an account the call budget it is configured with: N calls at once, the N+1th one window later', async () => {
    const clock = fakeClock();
    const limiters = createAccountLimiters({ ...clock, callsPer5Minutes: 7_500 });
    const grants: number[] = [];
    await Promise.all(Array.from({ length: 7_501 }, () => limiters.calls.acquire().then(() => grants.push(clock.now()))));
    expect(grants.filter((t) => t === 0)).toHaveLength(7_500);
    expect(grants.at(-1)).toBe(WATTTIME_RATE_WINDOW_MS);
    expect(() => createAccountLimiters({ callsPer5Minutes: 0 })).toThrow('limit must be a positive integer, got 0');
  });

  it('gives an account 3,000 calls and 100 logins per 5 minutes', async () => {
    const clock = fakeClock();
    const limiters = createAccountLimiters(clock);
    for (let i = 0; i < 101; i++) await limiters.logins.acquire();
    expect(clock.now()).toBe(WATTTIME_RATE_WINDOW_MS);
    for (let i = 0; i < WATTTIME_CALL_LIMIT; i++) await limiters.calls.acquire();
    expect(clock.now()).toBe(WATTTIME_RATE_WINDOW_MS);
    await limiters.calls.acquire();
    expect(clock.now()).toBe(2 * WATTTIME_RATE_WINDOW_MS);
  });
});
