/**
 * `npm run worker`: the worker process. Checks its settings and where Temporal is first, before the
 * Temporal SDK and its native library load, so a bad variable fails in a second; then runs the
 * worker (`runWorker`) until SIGINT/SIGTERM. Any start-up problem the operator can fix is one line
 * naming the variable — never a stack trace.
 */
import { ConfigError, loadWorkerSettings } from '../config/settings';
import { loadTemporalConfig } from '../config/temporal-config';
import { StartupError } from './startup-error';

async function main(): Promise<void> {
  const settings = loadWorkerSettings();
  const temporal = loadTemporalConfig();
  const { runWorker } = await import('./run-worker.js');
  await runWorker(settings, temporal);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof StartupError;
  process.stderr.write(known ? `${error.message}\n` : `worker failed: ${String(error)}\n`);
  process.exit(1);
});
