/**
 * The WattTime emulator as its own process (`npm run emulator`), so the scale bench can read its
 * CPU time apart from everything else, with a bench account that lists the synthetic regions and
 * a raised call budget. Its counters are read over its `/_emulator/` control API.
 */
import { join } from 'node:path';
import type { EmulatorCounters } from '../emulator/server';
import { projectRoot } from '../servers/cache-dir';
import { freePort } from '../servers/free-port';
import { ManagedProcess } from '../servers/managed-process';
import { waitUntilReady } from '../servers/wait-until';

export interface EmulatorProcess {
  readonly url: string;
  readonly process: ManagedProcess;
  counters(): Promise<EmulatorCounters>;
}

export interface EmulatorProcessOptions {
  readonly username: string;
  readonly password: string;
  /** Regions the account's plan lists (synthetic `BENCH_<n>` codes work). */
  readonly regions: readonly string[];
  /** Data calls per rolling 5 minutes. */
  readonly callsPer5Minutes: number;
  readonly logFile: string;
}

/**
 * Starts the emulator process and waits until its control API answers.
 *
 * @throws Error (one line with the log tail) when it exits or is not ready in time.
 */
export async function startEmulatorProcess(options: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const account = `${options.username}:${options.password}:${options.regions.join(',')}`;
  const child = ManagedProcess.start({
    name: 'WattTime emulator',
    command: process.execPath,
    args: ['--import', 'tsx', join(projectRoot, 'emulator', 'main.ts'), '--port', String(port), '--account', account, '--calls-per-5-minutes', String(options.callsPer5Minutes)],
    cwd: projectRoot,
    logFile: options.logFile,
  });
  const counters = async (): Promise<EmulatorCounters> => {
    const response = await fetch(`${url}/_emulator/counters`);
    if (!response.ok) throw new Error(`emulator counters answered ${response.status}`);
    return (await response.json()) as EmulatorCounters;
  };
  try {
    await waitUntilReady(child, async () => (await fetch(`${url}/_emulator/counters`)).ok);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url, process: child, counters };
}
