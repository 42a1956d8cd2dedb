/**
 * `npm run bench:health -- [regions ...]` (default 10 500): how long the worker's `GET /health`
 * takes with that many region workflows running, on a real Temporal dev server with a real
 * worker: the default answer (`readRegionStatusReport`, from Temporal's visibility store) and
 * `/health?detail=1` (`readRegionHealthReport`, one health query per region, which was the only
 * answer before the `CarbonStatus` search attribute). Each region starts with its first fetch an
 * hour away, so it runs no activity and needs neither WattTime nor InfluxDB: only Temporal's share
 * of `/health` is timed. Prints one row per size: the median, fastest and slowest of several reports.
 */
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wireActivities } from '../activities/wiring';
import { startTemporalDevServer } from '../servers/temporal-dev-server';
import { resolveTemporalCli } from '../servers/temporal-binaries';
import { readRegionHealthReport, readRegionStatusReport } from '../worker/region-health-report';
import { regionWorkflowId } from '../workflows/ids';
import type { RegionWorkflowInput } from '../workflows/input';
import { CARBON_STATUS } from '../workflows/search-attributes';
import { initialState } from '../workflows/state';

const REPORTS_PER_SIZE = 7;
const DETAILED_REPORTS_PER_SIZE = 3;
const START_CONCURRENCY = 50;

interface Row {
  readonly regions: number;
  readonly startSeconds: number;
  readonly reportMs: readonly number[];
  readonly detailedReportMs: readonly number[];
}

/** The input of a region that fetches nothing for an hour: its state carries the next fetch time. */
function idleRegionInput(region: string): RegionWorkflowInput {
  const intervalSeconds = 3600;
  return { region, intervalSeconds, carried: { ...initialState(intervalSeconds, Date.now()), nextFetchAtMs: Date.now() + 3_600_000 } };
}

/** The bench times the reports themselves: no 1.5 s answer bound, as `GET /health` has. */
const UNBOUNDED_MS = 600_000;

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

/** Polls until every region runs and has published its status (each workflow ran its first task). */
async function settle(client: Client, settings: { GRID_REGIONS: string[]; TEMPORAL_TASK_QUEUE: string }, regions: number): Promise<void> {
  const unpublished = `TaskQueue = '${settings.TEMPORAL_TASK_QUEUE}' AND ExecutionStatus = 'Running' AND ${CARBON_STATUS.name} IS NULL`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    const report = await readRegionStatusReport({ client, address: 'bench' }, settings, UNBOUNDED_MS);
    if (report.ok && report.running === regions && (await client.workflow.count(unpublished)).count === 0) return;
    if (Date.now() > deadline) throw new Error(`${regions} regions not all healthy after 5 minutes: ${report.reason ?? ''}`.slice(0, 500));
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function measure(client: Client, connection: NativeConnection, workflowBundle: { code: string }, regions: number): Promise<Row> {
  const taskQueue = `bench-health-${regions}`;
  const settings = { GRID_REGIONS: [], TEMPORAL_TASK_QUEUE: taskQueue };
  const wired = wireActivities({
    account: { username: 'bench', password: 'unused' },
    wattTimeBaseUrl: 'http://127.0.0.1:9',
    influx: { url: 'http://127.0.0.1:9', token: 'unused:unused', org: 'unused', bucket: 'unused' },
  });
  const worker = await Worker.create({ connection, taskQueue, workflowBundle, activities: wired.activities });
  const names = Array.from({ length: regions }, (_, i) => `BENCH_${regions}_${String(i).padStart(4, '0')}`);
  try {
    return await worker.runUntil(async () => {
      const started = Date.now();
      await inBatches(names, START_CONCURRENCY, (region) =>
        client.workflow.start('regionWorkflow', { workflowId: regionWorkflowId(region), taskQueue, args: [idleRegionInput(region)] }),
      );
      await settle(client, settings, regions);
      const startSeconds = (Date.now() - started) / 1000;
      const timeReports = async (count: number, detail: boolean): Promise<number[]> => {
        const times: number[] = [];
        for (let i = 0; i < count; i++) {
          const t0 = performance.now();
          const temporal = { client, address: 'bench' };
          const listed = detail
            ? (await readRegionHealthReport(temporal, settings, UNBOUNDED_MS)).regions.length
            : (await readRegionStatusReport(temporal, settings, UNBOUNDED_MS)).running;
          times.push(performance.now() - t0);
          if (listed !== regions) throw new Error(`report counted ${listed} of ${regions} regions`);
        }
        return times;
      };
      const reportMs = await timeReports(REPORTS_PER_SIZE, false);
      const detailedReportMs = await timeReports(DETAILED_REPORTS_PER_SIZE, true);
      await inBatches(names, START_CONCURRENCY, (region) => client.workflow.getHandle(regionWorkflowId(region)).terminate('benchmark done'));
      return { regions, startSeconds, reportMs, detailedReportMs };
    });
  } finally {
    await wired.close();
  }
}

/** `median (fastest–slowest)` in whole milliseconds. */
function spread(times: readonly number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const ms = (value: number | undefined): string => (value ?? NaN).toFixed(0);
  return `${ms(sorted[Math.floor(sorted.length / 2)])} (${ms(sorted[0])}-${ms(sorted.at(-1))})`;
}

function formatRow(row: Row): string {
  return `${String(row.regions).padStart(7)}  ${spread(row.reportMs).padEnd(22)}  ${spread(row.detailedReportMs).padEnd(24)}  ${row.startSeconds.toFixed(1)}`;
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('regions must be whole numbers of at least 1, e.g. 10 500');
  const executable = await resolveTemporalCli();
  const workDir = mkdtempSync(join(tmpdir(), 'bench-health-'));
  // Quiet: a loaded machine makes the worker warn about slow workflow tasks and expired queries.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  const server = await startTemporalDevServer({ executable, workDir });
  try {
    const connection = await NativeConnection.connect({ address: server.address });
    const clientConnection = await Connection.connect({ address: server.address });
    const client = new Client({ connection: clientConnection });
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
    const lines = [
      `GET /health on a Temporal dev server: median (fastest-slowest) ms of ${REPORTS_PER_SIZE} reports, ${DETAILED_REPORTS_PER_SIZE} with detail`,
      'regions  /health ms               /health?detail=1 ms       regions started in s',
    ];
    for (const regions of sizes.length > 0 ? sizes : [10, 500]) {
      lines.push(formatRow(await measure(client, connection, workflowBundle, regions)));
      process.stderr.write(`${lines.at(-1)}\n`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    await clientConnection.close();
    await connection.close();
  } finally {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
