import { describe, expect, it } from 'vitest';
import { runChaos } from '../../chaos/run';
import { chaosTable } from '../../chaos/table';

// The shortened fault run (`npm run chaos -- --short`) on its own real stack: every fault of the
// full run, held briefly. Data and secrets are exact; recovery only has to happen.
describe('fault-injection run, shortened', () => {
  it(
    'loses no period, stores no wrong value, leaks no secret and recovers from every fault',
    async () => {
      const startMs = Date.now();
      const log = (line: string): boolean => process.stderr.write(`chaos +${Math.round((Date.now() - startMs) / 1000)}s: ${line}\n`);
      const result = await runChaos({ mode: 'short', log });
      process.stderr.write(`${chaosTable(result)}\n`);
      expect(result.broken).toEqual([]);
      expect(result.total.lost).toEqual([]);
      expect(result.total.wrong).toBe(0);
      expect(result.total.duplicated).toBe(0);
      expect(result.total.stored).toBe(result.total.expected);
      expect(result.secrets.where).toEqual([]);
      expect(result.issuedTokens).toBeGreaterThan(1);
      for (const row of result.rows) expect(row.recoverySeconds, row.fault).not.toBeNull();
    },
    15 * 60_000,
  );
});
