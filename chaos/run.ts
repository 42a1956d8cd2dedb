/**
 * One fault run on the real stack: start the servers and two workers, start the regions staggered
 * so some region fetches every few seconds, inject each fault in turn, measure recovery, then
 * check stored periods and secrets. Returns the rows of the final table and the broken promises.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runClient } from '../testing/client-command';
import type { RegionHealth } from '../workflows/health';
import { addCounts, findSecrets, periodOf, readStoredPeriods, tallyPeriods, type PeriodCount, type SecretHits, type StoredPeriods } from './checks';
import { ChaosStack } from './stack';
import { faults, type Fault } from './timeline';

export interface FaultRow {
  fault: string;
  periods: PeriodCount;
  /** Seconds from clearing the fault to the first successful fetch; null when none came. */
  recoverySeconds: number | null;
  logins: number;
  minimumLogins: number;
  failedLogins: number;
}

export interface ChaosResult {
  rows: FaultRow[];
  total: PeriodCount;
  secrets: SecretHits;
  issuedTokens: number;
  /** Successful and failed logins of the whole run (client commands included). */
  logins: number;
  failedLogins: number;
  /** Logins before the first fault, plus the larger of those the faults force and one per token lifetime since. */
  minimumLogins: number;
  /** One line per broken promise; empty when the run passed. */
  broken: string[];
  workDir: string;
}

export interface ChaosOptions {
  mode: 'full' | 'short';
  /** Progress lines (stderr in the CLI). */
  log: (line: string) => void;
}

const REGIONS = ['CAISO_NORTH', 'PJM_DC', 'ERCOT_NORTHCENTRAL', 'MISO_INDIANAPOLIS'];
const TOKEN_TTL_SECONDS = 120;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The live worker's regions from `GET /health?detail=1` (plain `/health` answers only counts and
 * the regions that are not working), or undefined when it does not answer within 5 s.
 *
 * @throws Error when the worker answers JSON without `regions`: the endpoint's contract changed,
 *   and reading that as "not recovered" would blame the product for the harness.
 */
async function healthOf(stack: ChaosStack, bodies: string[]): Promise<RegionHealth[] | undefined> {
  const worker = [...stack.workers.values()][0];
  if (!worker) return undefined;
  let body: { regions?: unknown };
  try {
    const response = await fetch(`http://127.0.0.1:${worker.healthPort}/health?detail=1`, { signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    bodies.push(text);
    body = JSON.parse(text) as { regions?: unknown };
  } catch {
    return undefined;
  }
  if (!Array.isArray(body.regions)) throw new Error(`worker ${worker.name}'s /health?detail=1 has no regions: ${JSON.stringify(body)}`);
  return body.regions as RegionHealth[];
}

/** Seconds until some region's `lastSuccessfulFetch` is after `sinceMs`, or null at the deadline. */
async function recovery(stack: ChaosStack, sinceMs: number, deadlineMs: number, bodies: string[]): Promise<number | null> {
  while (Date.now() < deadlineMs) {
    const regions = await healthOf(stack, bodies);
    const success = regions?.some((r) => r.lastSuccessfulFetch !== null && Date.parse(r.lastSuccessfulFetch) > sinceMs);
    if (success) return (Date.now() - sinceMs) / 1000;
    await sleep(1_000);
  }
  return null;
}

/** Runs the suite; never throws for a broken promise (see `broken`), only for a stack that cannot start. */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { mode, log } = options;
  const workDir = mkdtempSync(join(tmpdir(), `chaos-${mode}-`));
  const password = `chaos-${randomBytes(12).toString('hex')}`;
  const stack = new ChaosStack(workDir, REGIONS, password, TOKEN_TTL_SECONDS);
  const recoveryLimitMs = (mode === 'full' ? 600 : 150) * 1000;
  const broken: string[] = [];
  const healthBodies: string[] = [];
  const clientOutputs: string[] = [];
  const client = async (args: string[]): Promise<string> => {
    const result = await runClient(args, stack.env());
    clientOutputs.push(result.stdout, result.stderr);
    return result.stdout;
  };
  try {
    log(`work folder ${workDir}`);
    await stack.start();
    await Promise.all([stack.startWorker('a'), stack.startWorker('b')]);
    log('stack up, two workers on one task queue');
    const firstFetchMs = Date.now();
    const startedMs = new Map<string, number>();
    // Regions spread over the 60 s interval, so some region fetches while any fault is held.
    const staggerMs = mode === 'full' ? 15_000 : 10_000;
    for (const region of REGIONS) {
      const started = Date.now();
      await client(['start', region]);
      // A region started after a 5-minute boundary never had the period before it to fetch.
      startedMs.set(region, Date.now());
      await sleep(Math.max(0, staggerMs - (Date.now() - started)));
    }
    log(`regions started, ${staggerMs / 1000} s apart`);

    const baselineLogins = stack.emulator.control.counters().logins;
    const faultsStartMs = Date.now();
    const phases: { fault: Fault; startMs: number; clearedMs: number; endMs: number; recoverySeconds: number | null; logins: number; failedLogins: number }[] = [];
    for (const fault of faults(mode)) {
      const before = stack.emulator.control.counters();
      const startMs = Date.now();
      log(`inject: ${fault.name}`);
      await fault.inject(stack);
      await sleep(fault.holdSeconds * 1000);
      await fault.clear(stack);
      const clearedMs = Date.now();
      const recoverySeconds = await recovery(stack, clearedMs, clearedMs + recoveryLimitMs, healthBodies);
      log(`cleared: ${fault.name}; recovered in ${recoverySeconds === null ? 'never' : `${recoverySeconds.toFixed(1)} s`}`);
      if (recoverySeconds === null) broken.push(`${fault.name}: no successful fetch within ${recoveryLimitMs / 1000} s of clearing it`);
      const after = stack.emulator.control.counters();
      phases.push({ fault, startMs, clearedMs, endMs: Date.now(), recoverySeconds, logins: after.logins - before.logins, failedLogins: after.failedLogins - before.failedLogins });
    }

    // Settle: every region has stored the current period and nothing is waiting for backfill.
    const settleDeadline = Date.now() + recoveryLimitMs;
    for (;;) {
      const regions = await healthOf(stack, healthBodies);
      const current = periodOf(Date.now() - 60_000);
      const settled =
        regions?.length === REGIONS.length &&
        regions.every((r) => r.backfillPendingPeriods === 0 && r.lastReading !== null && Date.parse(r.lastReading.pointTime) >= current);
      if (settled) break;
      if (Date.now() > settleDeadline) {
        broken.push(`regions did not settle (current period stored, no backfill pending) within ${recoveryLimitMs / 1000} s`);
        break;
      }
      await sleep(2_000);
    }
    const endMs = Date.now();
    await client(['health', '--json']);
    log('settled; checking stored periods and secrets');

    const storedByRegion = new Map(await Promise.all(REGIONS.map(async (r) => [r, await readStoredPeriods(stack.influx.url, 'chaos', r)] as const)));
    const stored = (region: string): StoredPeriods => storedByRegion.get(region) ?? new Map();
    const firstPeriod = (region: string): number => periodOf(startedMs.get(region) ?? firstFetchMs);
    const lastPeriod = (region: string): number => Math.max(firstPeriod(region), ...stored(region).keys());
    const empty: PeriodCount = { expected: 0, stored: 0, wrong: 0, duplicated: 0, lost: [] };
    const windowCount = (fromMs: number, toMs: number): PeriodCount =>
      REGIONS.map((r) => tallyPeriods(r, stored(r), periodOf(fromMs), Math.min(periodOf(toMs), lastPeriod(r)))).reduce(addCounts, empty);
    const total = REGIONS.map((r) => tallyPeriods(r, stored(r), firstPeriod(r), lastPeriod(r))).reduce(addCounts, empty);
    if (total.lost.length > 0) broken.push(`${total.lost.length} period(s) lost: ${total.lost.join(', ')}`);
    if (total.wrong > 0) broken.push(`${total.wrong} stored MOER value(s) differ from the emulator's`);
    if (total.duplicated > 0) broken.push(`${total.duplicated} period(s) stored more than once`);
    // The first region started at firstFetchMs: its first period must be there too.
    if (lastPeriod(REGIONS[0] ?? '') < periodOf(endMs - 60_000)) broken.push(`${REGIONS[0]} stored nothing recent`);

    const rows: FaultRow[] = phases.map((p) => ({
      fault: p.fault.name,
      periods: windowCount(p.startMs, p.endMs),
      recoverySeconds: p.recoverySeconds,
      logins: p.logins,
      minimumLogins: p.fault.forcedLogins + Math.floor((p.endMs - p.startMs) / 1000 / TOKEN_TTL_SECONDS),
      failedLogins: p.failedLogins,
    }));

    const tokens = stack.emulator.control.issuedTokens();
    const secrets = await findSecrets(stack.temporal.address, [password, ...tokens], stack.workerLogs, [...healthBodies, ...clientOutputs]);
    const hits = secrets.histories + secrets.logs + secrets.health;
    if (hits > 0) broken.push(`${hits} secret hit(s): ${secrets.where.join('; ')}`);
    const counters = stack.emulator.control.counters();
    // A forced login also renews the token, so renewals and forced logins overlap: the larger bounds.
    const minimumLogins =
      baselineLogins +
      Math.max(phases.reduce((sum, p) => sum + p.fault.forcedLogins, 0), Math.floor((endMs - faultsStartMs) / 1000 / TOKEN_TTL_SECONDS));
    await client(['stop']);
    return { rows, total, secrets, issuedTokens: tokens.length, logins: counters.logins, failedLogins: counters.failedLogins, minimumLogins, broken, workDir };
  } finally {
    await stack.stop();
  }
}
