import { join } from 'node:path';
import { projectRoot } from './cache-dir';
import { ManagedProcess } from './managed-process';
import { waitUntilReady } from './wait-until';

export interface WorkerProcessOptions {
  /** The worker's settings (WATTTIME_*, INFLUXDB_*, TEMPORAL_*, HEALTH_PORT, …). */
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** Options for Node itself, before the worker's script, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  readonly nodeArgs?: readonly string[];
}

/** Runs `worker/main.ts` as its own process (as `npm run worker` does) and waits for /health. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<ManagedProcess> {
  const worker = ManagedProcess.start({
    name: 'worker',
    // Node itself with tsx's loader, not the tsx CLI: the CLI runs the worker in a grandchild
    // that a SIGKILL of the CLI would leave running.
    command: process.execPath,
    args: [...(options.nodeArgs ?? []), '--import', 'tsx', join(projectRoot, 'worker', 'main.ts')],
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    logFile: options.logFile,
  });
  const healthUrl = `http://127.0.0.1:${options.env['HEALTH_PORT'] ?? '8010'}/health`;
  // Any answer (200 or 503) means the worker is up; 503 only says no region is healthy yet.
  await waitUntilReady(worker, async () => (await fetch(healthUrl)).status > 0);
  return worker;
}
