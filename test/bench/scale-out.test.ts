/**
 * The short version of `npm run bench -- scale-out`: two worker processes on one task queue,
 * 20 regions every 60 s, worker 2 SIGKILLed halfway through a burst and started again. No fetch
 * is missed or refused, every 5-minute period is stored once with the emulator's exact MOER, and
 * the account logs in once per worker process: the restarted worker, handed fetches while it
 * holds no token, logs in itself, once for all its regions. (Before, those fetches failed as a
 * refused token, and the forced login could land on the other worker.)
 */
import { describe, expect, it } from 'vitest';
import { SCALE_OUT_BURST_COLUMNS, SCALE_OUT_TOTAL_COLUMNS } from '../../bench/scale-out';
import { BENCH_TIMEOUT_MS, runBench, tablesIn } from '../support/bench-process';

describe('npm run bench -- scale-out', () => {
  it('loses no period and logs in once per worker process when one of two workers is killed mid-burst and restarted', async () => {
    const result = await runBench(['scale-out', '--regions', '20', '--interval', '60']);
    expect(result.code, `the bench failed:\n${result.stderr.slice(-3000)}`).toBe(0);

    const [bursts, totals, ...more] = tablesIn(result.stdout);
    expect(more).toEqual([]);
    expect(bursts?.[0]).toEqual([...SCALE_OUT_BURST_COLUMNS]);
    expect(totals?.[0]).toEqual([...SCALE_OUT_TOTAL_COLUMNS]);
    const [killBurst, nextBurst] = (bursts ?? []).slice(1).map((row) => Object.fromEntries(SCALE_OUT_BURST_COLUMNS.map((column, i) => [column, row[i] ?? ''])));
    expect(killBurst).toMatchObject({ 'fetches (expected)': '20 (20)', missed: '0', 'retried after 401': '0' });
    expect(killBurst?.burst).toMatch(/^worker 2 killed after \d+ fetches, restarted$/);
    expect(nextBurst).toMatchObject({ burst: 'the next', 'fetches (expected)': '20 (20)', missed: '0', 'retried after 401': '0' });
    // Both workers run by then: no sticky queue of the dead process left to time out.
    expect(Number(nextBurst?.['lateness max s'])).toBeLessThan(5);

    const total = Object.fromEntries(SCALE_OUT_TOTAL_COLUMNS.map((column, i) => [column, totals?.[1]?.[i] ?? '']));
    expect(total).toMatchObject({ regions: '20', 'interval s': '60', lost: '0', wrong: '0', duplicated: '0', 'logins (min)': '3 (3)' });
    expect(total.stored).toBe(total['periods expected']);
    expect(Number(total['periods expected'])).toBeGreaterThanOrEqual(20);
    expect(Number(total['fetches rerun'])).toBeGreaterThanOrEqual(0);
  }, BENCH_TIMEOUT_MS + 20_000);
});
