/**
 * `npm run bench -- scale-out [--regions 1000] [--interval 300]`: two worker processes on one
 * task queue with N regions at their real schedule. Worker 2 is SIGKILLed once half of a burst's
 * fetches have reached WattTime and started again at once (a supervisor's restart), so the rest
 * of that burst and the next one also land on a process that holds no token. Every figure comes
 * from outside the workflow code: lateness, missed fetches and fetches retried after a refused
 * token from workflow histories (the kill burst and the one after), every 5-minute period stored
 * once with the emulator's exact MOER (read back from InfluxDB), logins against one per worker
 * process per token lifetime, and the fetches WattTime saw more than once (attempts the killed
 * worker never reported, run again).
 */
import { Client, Connection } from '@temporalio/client';
import Table from 'cli-table3';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addCounts, periodOf, readStoredPeriods, tallyPeriods, type PeriodCount } from '../chaos/checks';
import { regionWorkflowId } from '../workflows/ids';
import { benchRegions } from './bench-regions';
import { startRegionsAndFirstFetches } from './first-fetches';
import { measuredFrom, minimumLogins, SETTLE_MS } from './burst-schedule';
import { forecastCalls, pollCounters, sleep } from './emulator-counters';
import { timedFetches, type TimedFetch } from './fetch-timing';
import { inBatches } from './in-batches';
import { percentile } from './percentile';
import { ScaleStack } from './scale-stack';

export interface ScaleOutOptions {
  readonly regions: number;
  readonly intervalSeconds: number;
  /** The emulator's data-call budget per 5 minutes, and the workers' `WATTTIME_CALLS_PER_5_MINUTES`. */
  readonly callsPer5Minutes: number;
  /** Given to each workflow as `fetchWindowSeconds` and to the workers as `FETCH_WINDOW_SECONDS` (when set). */
  readonly fetchWindowSeconds: number | undefined;
  readonly log: (line: string) => void;
}

/** One measured burst: the fetches whose timer was due in one interval. */
export interface ScaleOutBurst {
  readonly label: string;
  readonly expectedFetches: number;
  readonly fetches: number;
  /** Fetches WattTime refused the token for (or, before a worker logged in by itself, found none), retried after a forced login. */
  readonly retriedAfterRefusedToken: number;
  readonly latenessP50S: number | null;
  readonly latenessP99S: number | null;
  readonly latenessMaxS: number | null;
}

export interface ScaleOutResult {
  readonly regions: number;
  readonly intervalSeconds: number;
  readonly bursts: readonly ScaleOutBurst[];
  /** Every 5-minute period from each region's first fetch to the last measured one, in InfluxDB. */
  readonly periods: PeriodCount;
  readonly logins: number;
  readonly minimumLogins: number;
  /** `/v3/forecast` calls past one per fetch: attempts run again after the kill. */
  readonly fetchesRerun: number;
}

export const SCALE_OUT_BURST_COLUMNS = ['burst', 'fetches (expected)', 'missed', 'retried after 401', 'lateness p50 s', 'lateness p99 s', 'lateness max s'] as const;
export const SCALE_OUT_TOTAL_COLUMNS = ['regions', 'interval s', 'periods expected', 'stored', 'lost', 'wrong', 'duplicated', 'logins (min)', 'fetches rerun'] as const;

const WORKERS = 2;
const KILLED_WORKER = 2;
const READ_BATCH = 20;

function burstOf(label: string, expected: number, fetches: readonly TimedFetch[]): ScaleOutBurst {
  const lateness = fetches.flatMap((f) => (f.startedMs === null ? [] : [(f.startedMs - f.intendedFireMs) / 1000]));
  return {
    label,
    expectedFetches: expected,
    fetches: fetches.filter((f) => f.succeeded).length,
    retriedAfterRefusedToken: fetches.filter((f) => f.activities > 1).length,
    latenessP50S: percentile(lateness, 50),
    latenessP99S: percentile(lateness, 99),
    latenessMaxS: percentile(lateness, 100),
  };
}

/**
 * Runs the two-worker stack, kills worker 2 mid-burst and answers what was measured; the stack
 * is stopped whatever happens.
 *
 * @throws MissingDependencyError when a server binary cannot be obtained; Error when the first
 *   fetches do not all happen within 5 minutes.
 */
export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutResult> {
  const { log, intervalSeconds } = options;
  const regions = benchRegions(options.regions);
  const workDir = join(mkdtempSync(join(tmpdir(), 'bench-scale-out-')), `regions-${options.regions}`);
  mkdirSync(workDir, { recursive: true });
  const window = options.fetchWindowSeconds;
  const stack = await ScaleStack.start({
    workDir,
    regions,
    callsPer5Minutes: options.callsPer5Minutes,
    workerEnv: window === undefined ? {} : { FETCH_WINDOW_SECONDS: String(window) },
    workerNodeArgs: [],
    workers: WORKERS,
  });
  const stackStartedMs = Date.now();
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const client = new Client({ connection, namespace: 'default' });
    const counters = (): ReturnType<ScaleStack['counters']> => stack.counters();
    log(`${regions.length} regions, ${WORKERS} workers: stack up (logs in ${workDir}); starting the workflows`);
    const firstStartMs = await startRegionsAndFirstFetches(client, counters, regions, intervalSeconds, window);
    await sleep(SETTLE_MS);

    const intervalMs = intervalSeconds * 1000;
    const fromMs = measuredFrom(intervalSeconds, firstStartMs, Date.now());
    const nextMs = fromMs + intervalMs;
    const toMs = nextMs + intervalMs;
    log(`first fetches done; worker ${KILLED_WORKER} is killed halfway through the burst due from ${new Date(fromMs).toISOString()}`);
    await sleep(fromMs - 1_000 - Date.now());
    const before = forecastCalls(await counters());
    await pollCounters(counters, nextMs, (c) => forecastCalls(c) >= before + Math.ceil(regions.length / 2));
    await stack.killWorker(KILLED_WORKER);
    const callsAtKill = forecastCalls(await counters()) - before;
    log(`worker ${KILLED_WORKER} SIGKILLed after ${callsAtKill} of the burst's ${regions.length} fetches reached WattTime; starting it again`);
    await stack.startWorker(KILLED_WORKER);

    await sleep(nextMs - 1_000 - Date.now());
    const beforeNext = forecastCalls(await counters());
    await pollCounters(counters, toMs + 60_000, (c) => forecastCalls(c) >= beforeNext + regions.length);
    await sleep(SETTLE_MS);
    const after = await counters();
    log(`both bursts done; reading ${regions.length} histories and InfluxDB`);

    const byRegion = await inBatches(regions, READ_BATCH, async (region) => {
      const history = await client.workflow.getHandle(regionWorkflowId(region)).fetchHistory();
      const fetches = timedFetches(history.events ?? []).filter((f) => f.intendedFireMs >= fromMs && f.intendedFireMs < toMs);
      return { region, fetches, stored: await readStoredPeriods(stack.env().INFLUXDB_URL ?? '', 'bench', region) };
    });
    const measured = byRegion.flatMap((r) => r.fetches);
    const lastFetchMs = Math.max(...measured.map((f) => f.startedMs ?? 0));
    // From each region's first stored period (its first fetch may land in the period after the
    // first start); a region with nothing stored counts every period from the first start as lost.
    const firstPeriodOf = (stored: ReadonlyMap<number, unknown>): number => Math.max(periodOf(firstStartMs), Math.min(...stored.keys()));
    const periods = byRegion
      .map(({ region, stored }) => tallyPeriods(region, stored, stored.size === 0 ? periodOf(firstStartMs) : firstPeriodOf(stored), periodOf(lastFetchMs)))
      .reduce(addCounts);
    const expectedFetches = regions.length * 2;
    return {
      regions: regions.length,
      intervalSeconds,
      bursts: [
        burstOf(`worker ${KILLED_WORKER} killed after ${callsAtKill} fetches, restarted`, regions.length, measured.filter((f) => f.intendedFireMs < nextMs)),
        burstOf('the next', regions.length, measured.filter((f) => f.intendedFireMs >= nextMs)),
      ],
      periods,
      logins: after.logins,
      // The restarted process is a worker of its own: it needs its own login.
      minimumLogins: minimumLogins(WORKERS, Date.now() - stackStartedMs) + 1,
      fetchesRerun: forecastCalls(after) - before - expectedFetches,
    };
  } finally {
    await connection.close();
    await stack.stop();
  }
}

const seconds = (value: number | null): string => (value === null ? '-' : value.toFixed(2));

/** The two tables, bursts first; `style` none, so they read the same in a terminal, a file and a test. */
export function scaleOutTables(result: ScaleOutResult): string {
  const bursts = new Table({ head: [...SCALE_OUT_BURST_COLUMNS], style: { head: [], border: [] } });
  for (const burst of result.bursts) {
    bursts.push([
      burst.label,
      `${burst.fetches} (${burst.expectedFetches})`,
      String(burst.expectedFetches - burst.fetches),
      String(burst.retriedAfterRefusedToken),
      seconds(burst.latenessP50S),
      seconds(burst.latenessP99S),
      seconds(burst.latenessMaxS),
    ]);
  }
  const totals = new Table({ head: [...SCALE_OUT_TOTAL_COLUMNS], style: { head: [], border: [] } });
  const { periods } = result;
  totals.push([
    String(result.regions),
    String(result.intervalSeconds),
    String(periods.expected),
    String(periods.stored),
    String(periods.lost.length),
    String(periods.wrong),
    String(periods.duplicated),
    `${result.logins} (${result.minimumLogins})`,
    String(result.fetchesRerun),
  ]);
  const lost = periods.lost.length === 0 ? [] : [`lost: ${periods.lost.slice(0, 20).join(', ')}${periods.lost.length > 20 ? ', …' : ''}`];
  return [bursts.toString(), totals.toString(), ...lost].join('\n');
}
