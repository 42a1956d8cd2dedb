/**
 * `npm run worker`: the worker process. Reads its settings (one clear line per bad variable),
 * installs the Temporal Runtime with Prometheus metrics (the SDK's and the domain metrics of
 * common/metric-names.ts on METRICS_PORT), serves GET /health, and runs the region
 * workflows and their activities until SIGINT/SIGTERM, then drains and exits.
 */
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { meterActivityMetrics } from '../activities/meter-metrics';
import { wireActivities } from '../activities/wiring';
import { ConfigError, loadWorkerSettings, wattTimeAccount } from '../config/settings';
import { ensureCarbonRegionAttribute, SearchAttributeError } from '../regions/carbon-region-attribute';
import { CARBON_REGION } from '../workflows/search-attributes';
import { startHealthServer } from './health-server';
import { createLogger, toTemporalLogger } from './logger';
import { readRegionHealthReport, readRegionStatusReport } from './region-health-report';
import { prometheusTelemetry } from './telemetry';
import { workflowSource } from './workflow-source';

async function main(): Promise<void> {
  const settings = loadWorkerSettings();
  const logger = createLogger(settings.LOG_LEVEL);
  Runtime.install({
    logger: toTemporalLogger(logger),
    telemetryOptions: prometheusTelemetry(settings.METRICS_PORT),
    shutdownSignals: ['SIGINT', 'SIGTERM'],
  });

  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  const connection = await NativeConnection.connect(connectionOptions);
  const clientConnection = await Connection.connect(connectionOptions);
  const client = new Client({ connection: clientConnection, namespace });
  // Workflows whose search attribute is missing fail every task; better to stop here, in one line.
  if ((await ensureCarbonRegionAttribute(clientConnection, namespace)) === 'registered') {
    logger.info({ namespace, searchAttribute: CARBON_REGION.name }, `registered search attribute ${CARBON_REGION.name} (Keyword)`);
  }
  const built = wireActivities({
    account: wattTimeAccount(settings),
    wattTimeBaseUrl: settings.WATTTIME_BASE_URL,
    influx: { url: settings.INFLUXDB_URL, token: settings.INFLUXDB_TOKEN, org: settings.INFLUXDB_ORG, bucket: settings.INFLUXDB_BUCKET },
    logger: logger.child({ component: 'watttime' }),
    metrics: meterActivityMetrics(Runtime.instance().metricMeter),
  });

  const worker = await Worker.create({
    connection,
    namespace,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    ...workflowSource(),
    activities: built.activities,
  });
  const healthServer = await startHealthServer(
    settings.HEALTH_PORT,
    (detail) => (detail ? readRegionHealthReport(client, settings) : readRegionStatusReport(client, settings)),
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
    await clientConnection.close();
    await connection.close();
    logger.info('worker stopped');
  }
}

main().catch((error: unknown) => {
  // A configuration problem is the operator's to fix: one line, no stack trace.
  const known = error instanceof ConfigError || error instanceof SearchAttributeError;
  process.stderr.write(known ? `${error.message}\n` : `worker failed: ${String(error)}\n`);
  process.exit(1);
});
