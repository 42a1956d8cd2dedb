import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import type { WorkerSettings } from '../config/settings';
import { toTemporalLogger } from './logger';
import { prometheusTelemetry } from './telemetry';
import { shortReason, StartupError } from './startup-error';

/**
 * Installs the Temporal Runtime: the SDK's own logs — the TypeScript side's and the native core's
 * (e.g. its connection retries while Temporal is down) — go through `logger`, so stdout stays one
 * JSON object per line; Prometheus metrics are served on METRICS_PORT; SIGINT/SIGTERM drain the worker.
 * The core logs at WARN and above (ERROR with LOG_LEVEL=error): below that it is chatty.
 *
 * @throws StartupError naming METRICS_PORT when its port cannot be bound (e.g. already in use).
 */
export function installRuntime(settings: Pick<WorkerSettings, 'LOG_LEVEL' | 'METRICS_PORT'>, logger: Logger): void {
  const coreLevel = settings.LOG_LEVEL === 'error' ? 'ERROR' : 'WARN';
  try {
    Runtime.install({
      logger: toTemporalLogger(logger),
      telemetryOptions: {
        ...prometheusTelemetry(settings.METRICS_PORT),
        logging: { filter: { core: coreLevel, other: 'ERROR' }, forward: {} },
      },
      shutdownSignals: ['SIGINT', 'SIGTERM'],
    });
  } catch (error) {
    // The Prometheus exporter binds its port as the Runtime is created; anything else is no operator's to fix.
    if (!/prometheus|address|bind/i.test(String(error))) throw error;
    throw new StartupError(`cannot serve metrics on METRICS_PORT ${settings.METRICS_PORT} (${shortReason(error)}); set METRICS_PORT to a free port`);
  }
}
