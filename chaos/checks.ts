/**
 * What the fault run verifies at the end: every 5-minute period stored once with the emulator's
 * exact MOER, and no secret (the password or any issued token) in histories, logs or health.
 */
import { Client, Connection } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { moerAt } from '../emulator/data';
import { historyText } from '../testing/region-harness';

const FIVE_MINUTES_MS = 5 * 60_000;

export interface PeriodCount {
  /** Every 5-minute period of the window. */
  expected: number;
  stored: number;
  /** Stored MOER differing from the emulator's `moerAt` (or stamped off a period boundary). */
  wrong: number;
  /** Periods with more than one point. */
  duplicated: number;
  /** Expected periods with nothing stored, as "REGION@ISO time". */
  lost: string[];
}

/** Stored MOER values of one region, by `point_time` in ms. */
export type StoredPeriods = ReadonlyMap<number, readonly number[]>;

/**
 * Reads a region's `carbon_intensity.moer_lbs_mwh` points (signal type co2_moer) from InfluxDB.
 *
 * @throws Error when InfluxDB does not answer 200.
 */
export async function readStoredPeriods(influxUrl: string, database: string, region: string): Promise<StoredPeriods> {
  const q = `SELECT moer_lbs_mwh FROM carbon_intensity WHERE region = '${region}' AND signal_type = 'co2_moer'`;
  const response = await fetch(`${influxUrl}/query?db=${database}&epoch=ms&q=${encodeURIComponent(q)}`);
  if (!response.ok) throw new Error(`InfluxDB query failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { results: { series?: { values: [number, number][] }[] }[] };
  const byPeriod = new Map<number, number[]>();
  for (const [time, moer] of body.results[0]?.series?.[0]?.values ?? []) byPeriod.set(time, [...(byPeriod.get(time) ?? []), moer]);
  return byPeriod;
}

/** The start of the 5-minute period containing `ms`. */
export const periodOf = (ms: number): number => Math.floor(ms / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;

/**
 * Tallies the periods `fromPeriodMs`..`toPeriodMs` (both period starts, inclusive) of one region
 * against the emulator's `moerAt`; points outside the window are ignored.
 */
export function tallyPeriods(region: string, stored: StoredPeriods, fromPeriodMs: number, toPeriodMs: number): PeriodCount {
  const count: PeriodCount = { expected: 0, stored: 0, wrong: 0, duplicated: 0, lost: [] };
  for (const [time, moers] of stored) {
    if (time < fromPeriodMs || time > toPeriodMs + FIVE_MINUTES_MS - 1) continue;
    if (time % FIVE_MINUTES_MS !== 0) {
      count.wrong += moers.length;
      continue;
    }
    count.stored += 1;
    count.wrong += moers.filter((moer) => moer !== moerAt(region, time)).length;
    if (moers.length > 1) count.duplicated += 1;
  }
  for (let time = fromPeriodMs; time <= toPeriodMs; time += FIVE_MINUTES_MS) {
    count.expected += 1;
    if (!stored.has(time)) count.lost.push(`${region}@${new Date(time).toISOString()}`);
  }
  return count;
}

/** Sums tallies (of several regions or windows). */
export function addCounts(a: PeriodCount, b: PeriodCount): PeriodCount {
  return {
    expected: a.expected + b.expected,
    stored: a.stored + b.stored,
    wrong: a.wrong + b.wrong,
    duplicated: a.duplicated + b.duplicated,
    lost: [...a.lost, ...b.lost],
  };
}

export interface SecretHits {
  histories: number;
  logs: number;
  health: number;
  /** Where each hit was, e.g. "log worker-a-1.log: token #3". */
  where: string[];
}

function hitsIn(text: string, secrets: readonly string[], place: string, where: string[]): number {
  let hits = 0;
  secrets.forEach((secret, i) => {
    if (text.includes(secret)) {
      hits += 1;
      where.push(`${place}: ${i === 0 ? 'password' : `token #${i}`}`);
    }
  });
  return hits;
}

/**
 * Searches every workflow history of the namespace, each log file and each health output for
 * `secrets` (the password first, then every issued token).
 */
export async function findSecrets(
  temporalAddress: string,
  secrets: readonly string[],
  logFiles: readonly string[],
  healthOutputs: readonly string[],
): Promise<SecretHits> {
  const where: string[] = [];
  const connection = await Connection.connect({ address: temporalAddress });
  let histories = 0;
  try {
    const client = new Client({ connection, namespace: 'default' });
    for await (const execution of client.workflow.list()) {
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      histories += hitsIn(historyText(history), secrets, `history ${execution.workflowId}/${execution.runId}`, where);
    }
  } finally {
    await connection.close();
  }
  let logs = 0;
  for (const file of logFiles) logs += hitsIn(readFileSync(file, 'utf8'), secrets, `log ${file}`, where);
  const health = healthOutputs.reduce((sum, output, i) => sum + hitsIn(output, secrets, `health output #${i + 1}`, where), 0);
  return { histories, logs, health, where };
}
