/**
 * Readings WattTime answered while InfluxDB refused them, held in workflow state until InfluxDB
 * takes them: a few numbers per period and no secret, so history can carry them, and
 * continue-as-new carries them on. Bounded to a day of periods per region; what falls off the
 * oldest end becomes a gap for backfill (missed only where the plan has no `/v3/historical`).
 */
import type { StorageFailure, StoredReading } from '../activities/types';
import { MAX_QUEUED_GAPS, periodsIn, withPeriod } from './backfill-queue';
import type { RecordedError } from './failures';
import type { RegionState } from './state';

/** Periods held at most: 24 hours' worth (288 five-minute periods, 24 hourly ones). */
export const HOLD_LIMIT_MS = 24 * 60 * 60_000;

/**
 * Held readings written per `storeHeld` call (two hours of 5-minute periods, ~5 KB of history).
 * Small batches keep each activity's input, recorded in history at every try, small while
 * InfluxDB stays down; once it answers, batches follow each other in the same period.
 */
export const HELD_PER_WRITE = 24;

export function maxHeldReadings(periodMs: number): number {
  return Math.max(1, Math.floor(HOLD_LIMIT_MS / periodMs));
}

/**
 * Holds the readings a fetch could not store, oldest first and one per `point_time` (a reading of
 * a period already held fills in the fields it brings). Past the bound the oldest are let go to
 * the backfill queue. The failure becomes the latest error and the storage failure.
 */
export function holdReadings(
  state: RegionState,
  notStored: { readonly failure: StorageFailure; readonly readings: readonly StoredReading[] },
  periodMs: number,
  nowMs: number,
): void {
  for (const reading of notStored.readings) state.heldReadings = withReading(state.heldReadings, reading);
  const excess = state.heldReadings.length - maxHeldReadings(periodMs);
  if (excess > 0) {
    for (const dropped of state.heldReadings.slice(0, excess)) letGo(state, Date.parse(dropped.pointTime), periodMs);
    state.heldReadings = state.heldReadings.slice(excess);
  }
  recordStorageFailure(state, { ...notStored.failure, at: new Date(nowMs).toISOString() });
}

/** Held readings InfluxDB has now taken: no longer held, and the storage works again. */
export function releaseHeld(state: RegionState, stored: readonly StoredReading[]): void {
  const times = new Set(stored.map((r) => r.pointTime));
  state.heldReadings = state.heldReadings.filter((r) => !times.has(r.pointTime));
  for (const reading of stored) noteStored(state, Date.parse(reading.pointTime));
}

/** A write went through: the newest stored `point_time` (for staleness), and no storage failure. */
export function noteStored(state: RegionState, pointMs: number): void {
  state.newestStoredPointMs = Math.max(state.newestStoredPointMs ?? pointMs, pointMs);
  state.storageFailure = null;
}

export function recordStorageFailure(state: RegionState, error: RecordedError): void {
  state.storageFailure = error;
  state.lastError = error;
}

/** Keeps `held` sorted by `point_time`; a second reading of a period merges its non-null fields in. */
function withReading(held: readonly StoredReading[], reading: StoredReading): StoredReading[] {
  const same = held.find((r) => r.pointTime === reading.pointTime);
  if (same !== undefined) {
    const merged = { ...same };
    for (const [key, value] of Object.entries(reading)) if (value !== null) Object.assign(merged, { [key]: value });
    return held.map((r) => (r === same ? merged : r));
  }
  const later = held.findIndex((r) => r.pointTime > reading.pointTime);
  return later === -1 ? [...held, reading] : [...held.slice(0, later), reading, ...held.slice(later)];
}

/**
 * A held period given up: into the backfill queue, joined to a gap it adjoins so a long outage
 * makes one gap rather than hundreds. Past `MAX_QUEUED_GAPS` the oldest gap counts as missed.
 */
function letGo(state: RegionState, pointMs: number, periodMs: number): void {
  const oldest = state.backfillQueue[0];
  state.backfillQueue = withPeriod(state.backfillQueue, pointMs, periodMs);
  // The failed tries counted are the previous oldest gap's.
  if (state.backfillQueue[0]?.firstMs !== oldest?.firstMs) state.backfillAttempts = 0;
  while (state.backfillQueue.length > MAX_QUEUED_GAPS) {
    const oldest = state.backfillQueue.shift();
    if (oldest !== undefined) state.missedPeriods += periodsIn(oldest, periodMs);
    state.backfillAttempts = 0;
  }
}
