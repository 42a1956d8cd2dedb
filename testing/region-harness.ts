/**
 * A region workflow on the real time-skipping server with the real activities, the real
 * InfluxDB and the WattTime emulator (the one stand-in). Simulated time is made consistent:
 * before each activity attempt runs, one shared clock is set to the attempt's scheduled time on
 * the test server, and the emulator, WattTime client, rate limiters and token cache all read
 * that clock — so token lifetimes and data periods follow the workflow's simulated days.
 */
import { InfluxDB } from '@influxdata/influxdb-client';
import { Context } from '@temporalio/activity';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type LogEntry, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { RegionActivities } from '../activities/factory';
import { wireActivities } from '../activities/wiring';
import { WattTimeClient } from '../watttime/client';
import { TOKEN_LIFETIME_SECONDS } from '../common/limits';
import { CARBON_REGION } from '../workflows/search-attributes';
import { startEmulator, type EmulatorAccount, type RunningEmulator } from '../emulator/server';

/** `temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD`. */
const INDEXED_VALUE_TYPE_KEYWORD = 2;

export const PERIOD_MS = 5 * 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The clock every time-dependent part of the activities and the emulator reads. */
export class SimulatedClock {
  constructor(private ms: number) {}

  readonly now = (): number => this.ms;

  set(ms: number): void {
    this.ms = ms;
  }
}

/** Runs each activity attempt at its scheduled time on the test server's (simulated) clock. */
function onSimulatedClock(clock: SimulatedClock, activities: RegionActivities): RegionActivities {
  const atScheduledTime = (): void => clock.set(Context.current().info.currentAttemptScheduledTimestampMs);
  return {
    ensureToken: (input) => {
      atScheduledTime();
      return activities.ensureToken(input);
    },
    fetchAndStore: (input) => {
      atScheduledTime();
      return activities.fetchAndStore(input);
    },
    storeHeld: (input) => {
      atScheduledTime();
      return activities.storeHeld(input);
    },
    backfill: (input) => {
      atScheduledTime();
      return activities.backfill(input);
    },
  };
}

export interface RegionHarness {
  env: TestWorkflowEnvironment;
  emulator: RunningEmulator;
  /** The account the worker logs in with; it has a paid plan for `region` unless `freePlan`. */
  account: EmulatorAccount;
  taskQueue: string;
  /** The bundle the worker runs, for replaying histories. */
  workflowBundle: WorkflowBundleWithSourceMap;
  influx: InfluxReader;
  close(): Promise<void>;
}

/** Where the real servers are; tests get them from the vitest global setup. */
export interface HarnessServers {
  influxUrl: string;
  influxDatabase: string;
  temporalTestServerPath: string;
}

export interface HarnessOptions {
  /** A region no other test file uses, so InfluxDB counts are this file's alone. */
  region: string;
  /** More regions the account's plan covers (the benchmark runs many at once). */
  moreRegions?: readonly string[];
  /** Tests pass `injectedServers()`; the benchmark starts its own. */
  servers: HarnessServers;
  taskQueue: string;
  /**
   * The account's plan does not cover `region` (a free account outside CAISO_NORTH): the
   * signal index only, no forecast and no `/v3/historical`.
   */
  freePlan?: boolean;
  /** Lifetime of the emulator's tokens; default 1800, WattTime's 30 minutes. */
  tokenTtlSeconds?: number;
  /**
   * Configure the worker as with `WATTTIME_API_TOKEN` alone: the harness logs in once itself and
   * hands the activities that token and no password.
   */
  staticTokenOnly?: boolean;
}

/**
 * Worker warnings on one line each: the scenarios fail hundreds of activities on purpose (401s,
 * 503s), and the default logger would print a stack trace for every one.
 */
function installOneLineLogger(): void {
  const oneLine = ({ level, message, meta }: LogEntry): void => {
    const error = meta?.['error'];
    const activity = typeof meta?.['activityType'] === 'string' ? ` ${meta['activityType']}` : '';
    const reason = error instanceof Error ? `: ${error.message}` : '';
    process.stderr.write(`[worker ${level}] ${message}${activity}${reason}\n`);
  };
  if (!runtimeInstalled) Runtime.install({ logger: new DefaultLogger('WARN', oneLine) });
  runtimeInstalled = true;
}
let runtimeInstalled = false;

/** Installs the process's Temporal runtime on first use; later harnesses share it. */
export async function startRegionHarness(options: HarnessOptions): Promise<RegionHarness> {
  installOneLineLogger();
  const { servers } = options;
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: servers.temporalTestServerPath } },
  });
  // As the dev server does at start and operators do once with the CLI; without it the server
  // refuses the workflow's upsert.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: { [CARBON_REGION.name]: INDEXED_VALUE_TYPE_KEYWORD },
  });
  const clock = new SimulatedClock(await env.currentTimeMs());
  const paidRegions = [...(options.freePlan === true ? [] : [options.region]), ...(options.moreRegions ?? [])];
  const account: EmulatorAccount = { username: 'workflow-tests', password: 'workflow-tests-password', regions: paidRegions };
  // WattTime's 30-minute tokens unless a test asks for shorter ones.
  const tokenTtlSeconds = options.tokenTtlSeconds ?? TOKEN_LIFETIME_SECONDS;
  // Shorter-lived tokens are JWT-shaped, so the client learns their lifetime from `exp`.
  const tokenFormat = tokenTtlSeconds === TOKEN_LIFETIME_SECONDS ? 'opaque' : 'jwt';
  const emulator = await startEmulator({ accounts: [account], tokenTtlSeconds, tokenFormat, now: clock.now });
  const apiToken = options.staticTokenOnly === true ? await loginOnce(emulator.url, account) : undefined;
  const wired = wireActivities({
    account: apiToken === undefined ? { username: account.username, password: account.password } : { username: account.username, apiToken },
    wattTimeBaseUrl: emulator.url,
    influx: { url: servers.influxUrl, token: 'unused:unused', org: 'ignored', bucket: servers.influxDatabase },
    now: clock.now,
  });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows/index.ts'),
    logger: quietBundler,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: options.taskQueue,
    workflowBundle,
    activities: onSimulatedClock(clock, wired.activities),
  });
  const running = worker.run();
  return {
    env,
    emulator,
    account,
    taskQueue: options.taskQueue,
    workflowBundle,
    influx: new InfluxReader(servers.influxUrl, servers.influxDatabase),
    async close() {
      worker.shutdown();
      await running;
      await Promise.all([wired.close(), emulator.close()]);
      await env.teardown();
    },
  };
}

/** A token from one login of its own, to configure the worker as with `WATTTIME_API_TOKEN` alone. */
async function loginOnce(baseUrl: string, account: EmulatorAccount): Promise<string> {
  const client = new WattTimeClient({ baseUrl });
  try {
    return (await client.login(account)).token;
  } finally {
    await client.close();
  }
}

const ignore = (): void => undefined;
const quietBundler = { trace: ignore, debug: ignore, info: ignore, warn: ignore, error: ignore, log: ignore };

/**
 * Advances simulated time to `offsetMs` into the next interval of `alignMs` (e.g. 2.5 minutes
 * into the next 5-minute period), so a test's fetch slots sit at known offsets from its start.
 * Returns the interval start.
 */
export async function skipToOffset(env: TestWorkflowEnvironment, alignMs: number, offsetMs: number): Promise<number> {
  const now = await env.currentTimeMs();
  const start = (Math.floor(now / alignMs) + 1) * alignMs;
  await env.sleep(start + offsetMs - now);
  return start;
}

/** Skips simulated time forward to `targetMs` (the test server's clock). */
export async function skipTo(env: TestWorkflowEnvironment, targetMs: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (targetMs <= now) throw new Error(`cannot skip back to ${new Date(targetMs).toISOString()}`);
  await env.sleep(targetMs - now);
}

/** Reads back what the activities wrote, through Flux. */
export class InfluxReader {
  private readonly influx: InfluxDB;

  constructor(
    url: string,
    private readonly bucket: string,
  ) {
    this.influx = new InfluxDB({ url, token: 'unused:unused' });
  }

  /** `point_time`s (ms) of the current readings stored for a region in [startMs, stopMs): those with `field`. */
  async currentPointTimes(region: string, startMs: number, stopMs: number, field = 'moer_lbs_mwh'): Promise<number[]> {
    const rows = await this.influx.getQueryApi('ignored').collectRows<{ _time: string }>(
      `from(bucket: "${this.bucket}")
        |> range(start: ${new Date(startMs).toISOString()}, stop: ${new Date(stopMs).toISOString()})
        |> filter(fn: (r) => r._measurement == "carbon_intensity" and r._field == "${field}" and r.region == "${region}")
        |> keep(columns: ["_time"])`,
    );
    return rows.map((row) => Date.parse(row._time));
  }

  /** Every field stored for a region's period (`point_time` in ms), by name; empty when none is. */
  async pointAt(region: string, pointTimeMs: number): Promise<Record<string, number | string | boolean>> {
    const rows = await this.influx.getQueryApi('ignored').collectRows<{ _field: string; _value: number | string | boolean }>(
      `from(bucket: "${this.bucket}")
        |> range(start: ${new Date(pointTimeMs).toISOString()}, stop: ${new Date(pointTimeMs + 1).toISOString()})
        |> filter(fn: (r) => r._measurement == "carbon_intensity" and r.region == "${region}")`,
    );
    return Object.fromEntries(rows.map((row) => [row._field, row._value]));
  }

  /** The stored `moer_lbs_mwh` of one period, or undefined when none is. */
  async moerAt(region: string, pointTimeMs: number): Promise<number | undefined> {
    const rows = await this.influx.getQueryApi('ignored').collectRows<{ _value: number }>(
      `from(bucket: "${this.bucket}")
        |> range(start: ${new Date(pointTimeMs).toISOString()}, stop: ${new Date(pointTimeMs + 1).toISOString()})
        |> filter(fn: (r) => r._measurement == "carbon_intensity" and r._field == "moer_lbs_mwh" and r.region == "${region}")`,
    );
    return rows[0]?._value;
  }
}

/** Every string in a workflow history, payloads decoded, to search it for secrets. */
export function historyText(history: unknown): string {
  const parts: string[] = [];
  const visit = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(visit);
  };
  visit(history);
  return parts.join('\n');
}
