/** Runs the plain-loop baseline (bench/plain-loop-main.ts) in its own process and reads its result. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../servers/cache-dir';
import { ManagedProcess } from '../servers/managed-process';
import type { PlainLoopResult } from './plain-loop-main';

/** As many fetches at once as the worker's activity slots (the SDK's default, 100). */
const CONCURRENCY = 100;

/**
 * The plain loop's CPU per fetch for `regions` regions, with the worker's settings in `env` and
 * `nodeArgs` for Node itself (e.g. `--cpu-prof`).
 *
 * @throws Error naming the log file when the loop fails.
 */
export async function runPlainLoop(regions: number, env: NodeJS.ProcessEnv, workDir: string, nodeArgs: readonly string[] = []): Promise<PlainLoopResult> {
  const resultFile = join(workDir, `plain-loop-${regions}.json`);
  const logFile = join(workDir, `plain-loop-${regions}.log`);
  const loop = ManagedProcess.start({
    name: 'plain loop',
    command: process.execPath,
    args: [...nodeArgs, '--import', 'tsx', join(projectRoot, 'bench', 'plain-loop-main.ts'), String(regions), String(CONCURRENCY), resultFile],
    cwd: projectRoot,
    env: { ...process.env, ...env },
    logFile,
  });
  await loop.exited;
  if (loop.exitCode !== 0) throw new Error(`the plain loop exited with code ${loop.exitCode}; see ${logFile}`);
  return JSON.parse(readFileSync(resultFile, 'utf8')) as PlainLoopResult;
}
