/** Runs `npm run bench -- …` as a user would (its own process) and reads the tables it prints. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../servers/cache-dir';
import type { CommandResult } from '../../testing/client-command';

/** The longest a short bench run in the tests may take. */
export const BENCH_TIMEOUT_MS = 220_000;

/** Runs `bench/main.ts` with `args`; the answer carries its exit code and both outputs. */
export function runBench(args: readonly string[]): Promise<CommandResult> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'bench', 'main.ts'), ...args],
      { cwd: projectRoot, timeout: BENCH_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Each cli-table3 table in `text` (a new one at each top border), as its cells row by row, header first. */
export function tablesIn(text: string): string[][][] {
  const tables: string[][][] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('┌')) tables.push([]);
    if (line.startsWith('│')) tables.at(-1)?.push(line.split('│').slice(1, -1).map((cell) => cell.trim()));
  }
  return tables;
}
