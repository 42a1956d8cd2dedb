/**
 * One step of the real-time scale bench: N region workflows on the real stack (bench/scale-stack.ts)
 * at their real schedule, measured over whole bursts. Every figure comes from something outside
 * the workflow code: workflow histories (lateness, events per cycle, fetches), `/proc` (CPU,
 * memory), the emulator's counters (WattTime calls and logins), and a plain loop run after the
 * bursts (bench/plain-loop-main.ts) for the cost of durability.
 */
import { Client, Connection } from '@temporalio/client';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TASK_QUEUE, FIVE_MINUTE_PERIOD_SECONDS } from '../common/names';
import { TOKEN_REFRESH_BUFFER_SECONDS } from '../common/limits';
import type { EmulatorCounters } from '../emulator/server';
import { regionWorkflow, type RegionWorkflowInput } from '../workflows';
import { regionWorkflowId } from '../workflows/ids';
import { benchRegions } from './bench-regions';
import { timedFetches, type TimedFetch } from './fetch-timing';
import { percentile } from './percentile';
import { runPlainLoop } from './plain-loop';
import { cpuMsOf, rssMiBOf } from './process-cpu';
import { ScaleStack, type StackProcess } from './scale-stack';

export interface StepOptions {
  readonly regions: number;
  readonly intervalSeconds: number;
  /** Whole intervals measured (more than one only for intervals aligned to 5 minutes). */
  readonly bursts: number;
  readonly callsPer5Minutes: number;
  /** Given to each workflow as `fetchWindowSeconds` and to the worker as `FETCH_WINDOW_SECONDS` (when set). */
  readonly fetchWindowSeconds: number | undefined;
  readonly workerEnv: Readonly<Record<string, string>>;
  /** When set, the worker and the plain loop write V8 CPU profiles here (`node --cpu-prof`). */
  readonly profileDir: string | undefined;
  readonly workDir: string;
  readonly log: (line: string) => void;
}

export interface StepRow {
  readonly regions: number;
  readonly intervalSeconds: number;
  /** Regions × bursts: the fetches whose timer was due in the measured intervals. */
  readonly expectedFetches: number;
  /** Of those, the ones that completed. */
  readonly fetches: number;
  readonly missed: number;
  /** Seconds from the timer's intended fire time to the fetchAndStore start; null with no fetch. */
  readonly latenessP50S: number | null;
  readonly latenessP99S: number | null;
  readonly latenessMaxS: number | null;
  /** CPU ms per completed fetch over the bursts, by process. */
  readonly cpuMsPerFetch: Readonly<Record<StackProcess, number>>;
  /** The worker's largest resident memory seen during the bursts. */
  readonly workerRssMiB: number;
  /** Median over regions of the events one measured cycle added (timer to next timer). */
  readonly eventsPerCycle: number | null;
  readonly calls: number;
  readonly minimumCalls: number;
  readonly logins: number;
  readonly minimumLogins: number;
  readonly plainLoopCpuMsPerFetch: number;
  /** (worker + dev server) CPU per fetch ÷ the plain loop's. */
  readonly durabilityRatio: number;
}

const START_BATCH = 50;
const HISTORY_BATCH = 20;
const POLL_MS = 100;
/** After the last expected WattTime call, for its write and the workflow task that follows. */
const SETTLE_MS = 3_000;
/** WattTime data calls per fetch: `/v3/forecast` and `/v3/signal-index`. */
const CALLS_PER_FETCH = 2;
/** Opaque tokens last 30 minutes; a region refreshes one buffer + 5 s before that. */
const LOGIN_EVERY_MS = (1800 - TOKEN_REFRESH_BUFFER_SECONDS.default - 5) * 1000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

async function inBatches<T, R>(items: readonly T[], size: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(each))));
  return results;
}

const forecastCalls = (counters: EmulatorCounters): number => counters.callsByEndpoint['/v3/forecast'] ?? 0;
const dataCalls = (counters: EmulatorCounters): number =>
  Object.entries(counters.callsByEndpoint).reduce((sum, [path, calls]) => (path === '/login' ? sum : sum + calls), 0);

/** Polls the emulator until `done` holds or the deadline passes; answers the last counters. */
async function pollCounters(stack: ScaleStack, deadlineMs: number, done: (c: EmulatorCounters) => boolean, onPoll = (): void => undefined): Promise<EmulatorCounters> {
  for (;;) {
    const counters = await stack.counters();
    onPoll();
    if (done(counters) || Date.now() > deadlineMs) return counters;
    await sleep(POLL_MS);
  }
}

/**
 * The first instant of the measured intervals: the next 5-minute-aligned boundary for an aligned
 * interval (every region's next timer is due in the interval after it, wherever its offset puts
 * it); for any other interval, the first start plus one interval (every region's first fetch
 * began after the first start, so its next one is due after that).
 *
 * @throws Error when the first fetches of an unaligned interval ran past that instant.
 */
function measuredFrom(options: StepOptions, firstStartMs: number, idleMs: number): number {
  const intervalMs = options.intervalSeconds * 1000;
  if (options.intervalSeconds % FIVE_MINUTE_PERIOD_SECONDS === 0) return Math.ceil(idleMs / intervalMs) * intervalMs;
  const from = firstStartMs + intervalMs;
  if (idleMs > from) throw new Error(`the first fetches of ${options.regions} regions took longer than --interval ${options.intervalSeconds}; use a longer interval`);
  return from;
}

/** Runs one step and answers its row; the stack is stopped whatever happens. */
export async function runStep(options: StepOptions): Promise<StepRow> {
  const { log } = options;
  const regions = benchRegions(options.regions);
  const workDir = join(options.workDir, `regions-${options.regions}`);
  mkdirSync(workDir, { recursive: true });
  const window = options.fetchWindowSeconds;
  const nodeArgs = options.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`];
  const stack = await ScaleStack.start({
    workDir,
    regions,
    callsPer5Minutes: options.callsPer5Minutes,
    workerEnv: { ...(window === undefined ? {} : { FETCH_WINDOW_SECONDS: String(window) }), ...options.workerEnv },
    workerNodeArgs: nodeArgs,
  });
  const stackStartedMs = Date.now();
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const client = new Client({ connection, namespace: 'default' });
    log(`${options.regions} regions: stack up (logs in ${workDir}); starting the workflows`);
    const firstStartMs = Date.now();
    await inBatches(regions, START_BATCH, async (region) => {
      // `fetchWindowSeconds` only where the bench is told one: code without it ignores the field.
      const input: RegionWorkflowInput = { region, intervalSeconds: options.intervalSeconds, ...(window === undefined ? {} : { fetchWindowSeconds: window }) };
      await client.workflow.start(regionWorkflow, { workflowId: regionWorkflowId(region), taskQueue: DEFAULT_TASK_QUEUE, args: [input] });
    });
    const firstFetches = await pollCounters(stack, Date.now() + 300_000, (c) => forecastCalls(c) >= regions.length);
    if (forecastCalls(firstFetches) < regions.length) throw new Error(`only ${forecastCalls(firstFetches)} of ${regions.length} first fetches within 5 minutes`);
    await sleep(SETTLE_MS);

    const intervalMs = options.intervalSeconds * 1000;
    const fromMs = measuredFrom(options, firstStartMs, Date.now());
    const toMs = fromMs + options.bursts * intervalMs;
    log(`${options.regions} regions: first fetches done; measuring ${options.bursts} burst(s) due from ${new Date(fromMs).toISOString()}`);
    await sleep(fromMs - 1_000 - Date.now());
    const pids = stack.pids();
    const names = Object.keys(pids) as StackProcess[];
    const before = await stack.counters();
    const expected = regions.length * options.bursts;
    // CPU is counted from the burst's first WattTime call, so an idle wait before it adds nothing.
    await pollCounters(stack, toMs, (c) => forecastCalls(c) > forecastCalls(before));
    const cpuBefore = cpuMsOf(names.map((n) => pids[n]));
    let workerRssMiB = 0;
    const trackRss = (): void => void (workerRssMiB = Math.max(workerRssMiB, rssMiBOf(pids.worker) ?? 0));
    await pollCounters(stack, toMs + 60_000, (c) => forecastCalls(c) >= forecastCalls(before) + expected, trackRss);
    await sleep(SETTLE_MS);
    const cpuAfter = cpuMsOf(names.map((n) => pids[n]));
    const after = await stack.counters();
    const logins = after.logins;
    const minimumLogins = 1 + Math.floor((Date.now() - stackStartedMs) / LOGIN_EVERY_MS);
    log(`${options.regions} regions: bursts done; reading ${regions.length} histories`);

    const measured: TimedFetch[] = (
      await inBatches(regions, HISTORY_BATCH, async (region) => timedFetches((await client.workflow.getHandle(regionWorkflowId(region)).fetchHistory()).events ?? []))
    ).flatMap((fetches) => fetches.filter((f) => f.intendedFireMs >= fromMs && f.intendedFireMs < toMs));
    const lateness = measured.flatMap((f) => (f.startedMs === null ? [] : [(f.startedMs - f.intendedFireMs) / 1000]));
    const fetches = measured.filter((f) => f.succeeded).length;
    const cycles = measured.flatMap((f) => (f.cycleEvents === null ? [] : [f.cycleEvents]));
    const cpuMsPerFetch = Object.fromEntries(names.map((n, i) => [n, ((cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0)) / Math.max(1, fetches)])) as Record<StackProcess, number>;

    log(`${options.regions} regions: running the plain loop`);
    const plain = await runPlainLoop(regions.length, stack.env(), workDir, nodeArgs);
    const plainLoopCpuMsPerFetch = plain.cpuMs / plain.fetches;
    return {
      regions: regions.length,
      intervalSeconds: options.intervalSeconds,
      expectedFetches: expected,
      fetches,
      missed: expected - fetches,
      latenessP50S: percentile(lateness, 50),
      latenessP99S: percentile(lateness, 99),
      latenessMaxS: percentile(lateness, 100),
      cpuMsPerFetch,
      workerRssMiB,
      eventsPerCycle: percentile(cycles, 50),
      calls: dataCalls(after) - dataCalls(before),
      minimumCalls: CALLS_PER_FETCH * expected,
      logins,
      minimumLogins,
      plainLoopCpuMsPerFetch,
      durabilityRatio: (cpuMsPerFetch.worker + cpuMsPerFetch['dev server']) / plainLoopCpuMsPerFetch,
    };
  } finally {
    await connection.close();
    await stack.stop();
  }
}
