import { describe, expect, it } from 'vitest';
import { RollingWindowLimiter } from '../../emulator/rate-limit';
import { getWithToken, login, startTestEmulator } from './support';

const PATH = '/v3/signal-index?region=CAISO_NORTH&signal_type=co2_moer';

/** Sends `count` data requests, 25 at a time, and returns how many answered each status. */
async function burst(url: string, token: string, count: number): Promise<Record<number, number>> {
  const statuses: Record<number, number> = {};
  for (let sent = 0; sent < count; sent += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, count - sent) }, async () => {
        const response = await getWithToken(url, PATH, token);
        await response.arrayBuffer();
        return response.status;
      }),
    );
    for (const status of batch) statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return statuses;
}

describe('the data rate limit (3,000 requests per user per rolling 5 minutes)', () => {
  it('answers 429 with Retry-After once a user has made 3,000 requests, until the window rolls', async () => {
    const { url, clock, emulator } = await startTestEmulator({
      accounts: [
        { username: 'demo', password: 'demo-password', regions: [] },
        { username: 'other', password: 'pw', regions: [] },
      ],
    });
    const token = await login(url);
    expect(await burst(url, token, 1500)).toEqual({ 200: 1500 });
    clock.advance(100_000);
    expect(await burst(url, token, 1500)).toEqual({ 200: 1500 });
    clock.advance(100_000);

    const limited = await getWithToken(url, PATH, token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('100');
    expect(await limited.text()).toBe('Too Many Requests');

    // The limit is per user: another account is unaffected.
    expect((await getWithToken(url, PATH, await login(url, 'other', 'pw'))).status).toBe(200);

    clock.advance(99_999);
    expect((await getWithToken(url, PATH, token)).headers.get('retry-after')).toBe('1');
    clock.advance(1);
    // The first 1,500 left the window; refused requests never counted against it.
    expect(await burst(url, token, 1500)).toEqual({ 200: 1500 });
    expect((await getWithToken(url, PATH, token)).status).toBe(429);
    expect(emulator.control.counters().answersByStatus).toEqual({ '200': 4503, '429': 3 });
  });
});

describe('a data rate limit raised for a benchmark (dataCallsPer5Minutes, --calls-per-5-minutes)', () => {
  it('answers 429 only past the given limit', async () => {
    const { url, emulator } = await startTestEmulator({ dataCallsPer5Minutes: 3_100 });
    const token = await login(url);
    expect(await burst(url, token, 3_100)).toEqual({ 200: 3_100 });
    const limited = await getWithToken(url, PATH, token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('300');
    expect(emulator.control.counters().answersByStatus).toEqual({ '200': 3_101, '429': 1 });
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(startTestEmulator({ dataCallsPer5Minutes: 0 })).rejects.toThrow('dataCallsPer5Minutes must be a positive integer, got 0');
  });
});

describe('RollingWindowLimiter', () => {
  it('keys separately and reports the wait until the oldest request leaves the window', () => {
    const limiter = new RollingWindowLimiter(2, 10_000);
    expect(limiter.tryAcquire('a', 0)).toEqual({ allowed: true });
    expect(limiter.tryAcquire('a', 4_000)).toEqual({ allowed: true });
    expect(limiter.tryAcquire('b', 4_000)).toEqual({ allowed: true });
    expect(limiter.tryAcquire('a', 4_500)).toEqual({ allowed: false, retryAfterSeconds: 6 });
    expect(limiter.tryAcquire('a', 9_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.tryAcquire('a', 10_000)).toEqual({ allowed: true });
    expect(limiter.tryAcquire('a', 10_001)).toEqual({ allowed: false, retryAfterSeconds: 4 });
  });
});
