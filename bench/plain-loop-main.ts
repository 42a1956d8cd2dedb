/**
 * The scale bench's baseline, run as its own process: the same fetches and InfluxDB writes the
 * worker makes for the same regions, through the same wiring (`wireActivities`: the WattTime
 * session, the InfluxDB writer, the `fetchAndStore` activity function called as a plain function)
 * and the same logger, but no Temporal. Warm-up passes over the regions (login, plan cache,
 * connections, JIT), then measured passes, each at least `MIN_FETCHES` fetches so that a few
 * regions still give a steady figure; writes `{ fetches, cpuMs, wallMs }` as JSON to the file
 * named by argv.
 *
 * Usage: node --import tsx bench/plain-loop-main.ts <regions> <concurrency> <result-file>,
 * with the worker's settings (WATTTIME_*, INFLUXDB_*, LOG_LEVEL) in the environment.
 */
import { writeFileSync } from 'node:fs';
import { wireActivities } from '../activities/wiring';
import { DEFAULT_SIGNAL_TYPE } from '../common/names';
import { FORECAST_HORIZON_HOURS } from '../common/limits';
import { loadWorkerSettings, wattTimeAccount } from '../config/settings';
import { createLogger } from '../worker/logger';
import { benchRegions } from './bench-regions';

export interface PlainLoopResult {
  fetches: number;
  /** User + system CPU of this process over the measured pass. */
  cpuMs: number;
  wallMs: number;
}

/** Fetches in the warm-up, and again in the measured passes, at the least. */
const MIN_FETCHES = 200;

/** Runs `each` over `items`, at most `concurrency` at a time. */
async function pooled<T>(items: readonly T[], concurrency: number, each: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await each(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, runner));
}

async function main(): Promise<void> {
  const [count, concurrency, resultFile] = process.argv.slice(2);
  if (count === undefined || concurrency === undefined || resultFile === undefined) {
    throw new Error('usage: plain-loop-main.ts <regions> <concurrency> <result-file>');
  }
  const settings = loadWorkerSettings();
  const logger = createLogger(settings.LOG_LEVEL);
  const wired = wireActivities({
    account: wattTimeAccount(settings),
    wattTimeBaseUrl: settings.WATTTIME_BASE_URL,
    influx: { url: settings.INFLUXDB_URL, token: settings.INFLUXDB_TOKEN, org: settings.INFLUXDB_ORG, bucket: settings.INFLUXDB_BUCKET },
    logger: logger.child({ component: 'watttime' }),
    wattTimeCallsPer5Minutes: settings.WATTTIME_CALLS_PER_5_MINUTES,
  });
  try {
    const regions = benchRegions(Number(count));
    const fetch = (region: string) =>
      wired.activities.fetchAndStore({ region, signalType: DEFAULT_SIGNAL_TYPE, forecastHorizonHours: FORECAST_HORIZON_HOURS.default });
    const passes = Math.ceil(MIN_FETCHES / regions.length);
    await wired.activities.ensureToken({ force: false });
    for (let pass = 0; pass < passes; pass++) await pooled(regions, Number(concurrency), fetch);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let pass = 0; pass < passes; pass++) await pooled(regions, Number(concurrency), fetch);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const result: PlainLoopResult = { fetches: passes * regions.length, cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
    writeFileSync(resultFile, JSON.stringify(result));
  } finally {
    await wired.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`plain loop failed: ${String(error)}\n`);
  process.exit(1);
});
