import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBenchmarksFile } from '../../bench/benchmarks-file';

const file = (path: string, table: string) => ({ path, command: 'npm run bench -- realtime --quick', table, notes: ['Lateness: from histories.'] });

describe('BENCHMARKS.md (bench/benchmarks-file.ts)', () => {
  it('replaces the generated table and keeps the written sections after it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'benchmarks-file-')), 'BENCHMARKS.md');
    writeBenchmarksFile(file(path, 'old table'));
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n## Where the time goes\n\nworker main thread 18 ms per fetch\n`);

    writeBenchmarksFile(file(path, 'new table'));

    const text = readFileSync(path, 'utf8');
    expect(text).toContain('new table');
    expect(text).not.toContain('old table');
    expect(text.match(/^## Where the time goes$/gm)).toHaveLength(1);
    expect(text.endsWith('## Where the time goes\n\nworker main thread 18 ms per fetch\n')).toBe(true);
    expect(text.indexOf('- Lateness: from histories.')).toBeLessThan(text.indexOf('## Where the time goes'));
  });

  it('writes the generated part alone when there is no file yet', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'benchmarks-file-')), 'BENCHMARKS.md');
    writeBenchmarksFile(file(path, 'a table'));
    expect(readFileSync(path, 'utf8')).not.toMatch(/^## /m);
  });
});
