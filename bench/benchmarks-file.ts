/** `BENCHMARKS.md`: the real-time scale table with the machine, the date and the command that made it. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface BenchmarksFile {
  readonly path: string;
  readonly command: string;
  readonly table: string;
  /** Lines after the table (why stepping stopped, what the columns mean). */
  readonly notes: readonly string[];
}

/**
 * Writes the file, replacing the generated part of an earlier one; the written sections after it
 * (from its first `## ` heading on, e.g. "Where the time goes") are kept.
 */
export function writeBenchmarksFile(file: BenchmarksFile): void {
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}`;
  const text = [
    '# Benchmarks',
    '',
    'Real-time scale on the real stack: the Temporal dev server, InfluxDB, the WattTime emulator and',
    'one worker process on the same machine (`npm run bench -- realtime`, see bench/realtime-scale.ts).',
    '',
    `- Machine: ${machine}`,
    `- Date: ${new Date().toISOString()}`,
    `- Command: \`${file.command}\``,
    '',
    '```',
    file.table,
    '```',
    '',
    ...file.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  writeFileSync(file.path, `${text}${writtenSections(file.path)}`);
}

/** Everything from the first `## ` heading of the file at `path` on, after a blank line; '' without one. */
function writtenSections(path: string): string {
  if (!existsSync(path)) return '';
  const earlier = readFileSync(path, 'utf8');
  const at = earlier.search(/^## /m);
  return at < 0 ? '' : `\n${earlier.slice(at)}`;
}
