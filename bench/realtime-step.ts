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
import { regionWorkflowId } from '../workflows/ids';
import { benchRegions } from './bench-regions';
import { startRegionsAndFirstFetches } from './first-fetches';
import { measuredFrom, minimumLogins, SETTLE_MS } from './burst-schedule';
import { dataCalls, forecastCalls, pollCounters, sleep } from './emulator-counters';
import { timedFetches, type TimedFetch } from './fetch-timing';
import { inBatches } from './in-batches';
import { percentile } from './percentile';
import type { RealtimeOptions } from './realtime-scale';
import { runPlainLoop } from './plain-loop';
import { cpuMsOf, rssMiBOf } from './process-cpu';
import { ScaleStack, type StackProcess } from './scale-stack';

/** A step runs one number of regions with the bench's other options, in a folder of its own. */
export type StepOptions = Omit<RealtimeOptions, 'regions' | 'output' | 'command'> & {
  readonly regions: number;
  readonly workDir: string;
};

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

const HISTORY_BATCH = 20;
/** WattTime data calls per fetch: `/v3/forecast` and `/v3/signal-index`. */
const CALLS_PER_FETCH = 2;

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
    const firstStartMs = await startRegionsAndFirstFetches(client, () => stack.counters(), regions, options.intervalSeconds, window);
    await sleep(SETTLE_MS);

    const intervalMs = options.intervalSeconds * 1000;
    const fromMs = measuredFrom(options.intervalSeconds, firstStartMs, Date.now());
    const toMs = fromMs + options.bursts * intervalMs;
    log(`${options.regions} regions: first fetches done; measuring ${options.bursts} burst(s) due from ${new Date(fromMs).toISOString()}`);
    await sleep(fromMs - 1_000 - Date.now());
    const pids = stack.pids();
    const names = Object.keys(pids) as StackProcess[];
    const before = await stack.counters();
    const expected = regions.length * options.bursts;
    // CPU is counted from the burst's first WattTime call, so an idle wait before it adds nothing.
    await pollCounters(() => stack.counters(), toMs, (c) => forecastCalls(c) > forecastCalls(before));
    const cpuBefore = cpuMsOf(names.map((n) => pids[n]));
    let workerRssMiB = 0;
    const trackRss = (): void => void (workerRssMiB = Math.max(workerRssMiB, rssMiBOf(pids.worker) ?? 0));
    await pollCounters(() => stack.counters(), toMs + 60_000, (c) => forecastCalls(c) >= forecastCalls(before) + expected, trackRss);
    await sleep(SETTLE_MS);
    const cpuAfter = cpuMsOf(names.map((n) => pids[n]));
    const after = await stack.counters();
    const logins = after.logins;
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
      minimumLogins: minimumLogins(1, Date.now() - stackStartedMs),
      plainLoopCpuMsPerFetch,
      durabilityRatio: (cpuMsPerFetch.worker + cpuMsPerFetch['dev server']) / plainLoopCpuMsPerFetch,
    };
  } finally {
    await connection.close();
    await stack.stop();
  }
}
