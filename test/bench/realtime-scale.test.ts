/**
 * `npm run bench -- realtime` still starts the whole real stack and prints its table: 10 regions
 * at a 60 s interval, one burst, as a user would run it (its own process). A server that cannot
 * start makes the bench exit 1, and this test fail with the bench's own message.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REALTIME_COLUMNS } from '../../bench/realtime-table';
import { BENCH_TIMEOUT_MS, runBench, tablesIn } from '../support/bench-process';

describe('npm run bench -- realtime', () => {
  it('runs 10 regions through one burst on the real stack and prints every column with sensible values', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'bench-test-')), 'BENCHMARKS.md');
    const args = ['realtime', '--regions', '10', '--interval', '60', '--output', output];
    const result = await runBench(args);
    expect(result.code, `the bench failed:\n${result.stderr.slice(-3000)}`).toBe(0);

    const [table, ...otherTables] = tablesIn(result.stdout);
    expect(otherTables).toEqual([]);
    const [head, row, ...more] = table ?? [];
    expect(head).toEqual([...REALTIME_COLUMNS]);
    expect(more).toEqual([]);
    const cell = (column: (typeof REALTIME_COLUMNS)[number]): string => row?.[REALTIME_COLUMNS.indexOf(column)] ?? '';
    const number = (column: (typeof REALTIME_COLUMNS)[number]): number => Number.parseFloat(cell(column));
    expect(cell('regions')).toBe('10');
    expect(cell('interval s')).toBe('60');
    expect(cell('fetches (expected)')).toBe('10 (10)');
    expect(cell('missed')).toBe('0');
    // Ten fetches due at once on an otherwise idle worker start within seconds of their timer.
    expect(number('lateness p50 s')).toBeGreaterThanOrEqual(-1);
    expect(number('lateness p50 s')).toBeLessThanOrEqual(number('lateness p99 s'));
    expect(number('lateness p99 s')).toBeLessThanOrEqual(number('lateness max s'));
    expect(number('lateness max s')).toBeLessThan(5);
    for (const column of ['CPU ms/fetch worker', 'CPU ms/fetch dev server', 'plain loop CPU ms/fetch'] as const) {
      expect(number(column), column).toBeGreaterThan(0);
    }
    for (const column of ['CPU ms/fetch InfluxDB', 'CPU ms/fetch emulator'] as const) {
      expect(number(column), column).toBeGreaterThanOrEqual(0);
    }
    expect(number('worker RSS MiB')).toBeGreaterThan(50);
    // A steady cycle: timer started, fired, a workflow task, the fetch, a workflow task (issue 14: ≤ 12).
    expect(number('events/cycle')).toBeGreaterThanOrEqual(8);
    expect(number('events/cycle')).toBeLessThanOrEqual(12);
    expect(cell('WattTime calls (min)')).toBe('20 (20)');
    expect(cell('logins (min)')).toBe('1 (1)');
    expect(cell('cost of durability')).toMatch(/^\d+\.\dx$/);
    expect(number('cost of durability')).toBeCloseTo((number('CPU ms/fetch worker') + number('CPU ms/fetch dev server')) / number('plain loop CPU ms/fetch'), 0);

    const file = readFileSync(output, 'utf8');
    expect(file).toContain(`- Machine: ${cpus().length} cores`);
    expect(file).toContain(`- Command: \`npm run bench -- ${args.join(' ')}\``);
    expect(file).toContain(result.stdout.trim());
  }, BENCH_TIMEOUT_MS + 20_000);
});
