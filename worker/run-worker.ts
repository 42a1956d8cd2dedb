/**
 * The worker once its settings are known good: installs the Temporal Runtime (its logs through
 * pino, Prometheus metrics), connects to Temporal, serves GET /health, and runs the region
 * workflows and their activities until SIGINT/SIGTERM, then drains and returns.
 */
import { Runtime, Worker } from '@temporalio/worker';
import { meterActivityMetrics } from '../activities/meter-metrics';
import { wireActivities } from '../activities/wiring';
import { SHUTDOWN_GRACE_SECONDS } from '../common/limits';
import { wattTimeAccount, type WorkerSettings } from '../config/settings';
import type { TemporalConfig } from '../config/temporal-config';
import { ensureCarbonRegionAttribute, SearchAttributeError } from '../regions/carbon-region-attribute';
import { CARBON_REGION } from '../workflows/search-attributes';
import { startHealthServer } from './health-server';
import { createLogger } from './logger';
import { readRegionHealthReport, readRegionStatusReport } from './region-health-report';
import { installRuntime } from './runtime';
import { StartupError } from './startup-error';
import { connectTemporal } from './temporal-connections';
import { workflowSource } from './workflow-source';

/**
 * Runs the worker until it is told to stop.
 *
 * @throws StartupError (one line naming the variable) when Temporal cannot be reached, the
 *   namespace does not exist, METRICS_PORT / HEALTH_PORT cannot be bound, or the search
 *   attributes are missing and cannot be registered (the line gives the command that would).
 */
export async function runWorker(settings: WorkerSettings, temporalConfig: TemporalConfig): Promise<void> {
  const logger = createLogger(settings.LOG_LEVEL);
  installRuntime(settings, logger);

  const temporal = await connectTemporal(temporalConfig);
  const { namespace } = temporal;
  // Workflows whose search attribute is missing fail every task; better to stop here, in one line.
  const attribute = await ensureCarbonRegionAttribute(temporal.client.connection, namespace).catch((error: unknown) => {
    throw error instanceof SearchAttributeError ? new StartupError(error.message) : error;
  });
  if (attribute === 'registered') {
    logger.info({ namespace, searchAttribute: CARBON_REGION.name }, `registered search attribute ${CARBON_REGION.name} (Keyword)`);
  }
  const built = wireActivities({
    account: wattTimeAccount(settings),
    wattTimeBaseUrl: settings.WATTTIME_BASE_URL,
    influx: { url: settings.INFLUXDB_URL, token: settings.INFLUXDB_TOKEN, org: settings.INFLUXDB_ORG, bucket: settings.INFLUXDB_BUCKET },
    logger: logger.child({ component: 'watttime' }),
    metrics: meterActivityMetrics(Runtime.instance().metricMeter),
    wattTimeCallsPer5Minutes: settings.WATTTIME_CALLS_PER_5_MINUTES,
  });

  const worker = await Worker.create({
    connection: temporal.native,
    namespace,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    ...workflowSource(),
    activities: built.activities,
    maxConcurrentWorkflowTaskExecutions: settings.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: settings.WORKER_MAX_CONCURRENT_ACTIVITIES,
    ...(settings.WORKER_MAX_CACHED_WORKFLOWS === undefined ? {} : { maxCachedWorkflows: settings.WORKER_MAX_CACHED_WORKFLOWS }),
    // A fetch attempt under way when the worker is told to stop may finish and report.
    shutdownGraceTime: `${SHUTDOWN_GRACE_SECONDS}s`,
  });
  const healthServer = await startHealthServer(
    settings.HEALTH_PORT,
    (detail) => (detail ? readRegionHealthReport(temporal, settings) : readRegionStatusReport(temporal, settings)),
    logger,
  );
  logger.info(
    { taskQueue: settings.TEMPORAL_TASK_QUEUE, namespace, healthPort: settings.HEALTH_PORT, metricsPort: settings.METRICS_PORT },
    'worker started',
  );

  try {
    await worker.run();
  } finally {
    healthServer.close();
    await built.close();
    await temporal.close();
    logger.info('worker stopped');
  }
}
