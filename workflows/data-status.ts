/**
 * The status rules about the stored data rather than the fetches (`health.ts` applies them in
 * order): InfluxDB refusing writes for good, data that stopped moving, and readings held while
 * InfluxDB is away. A fetch that "succeeds" with an old `point_time` is no sign of health.
 */
import { FailureType } from '../common/failure-types';
import { FIVE_MINUTE_PERIOD_SECONDS } from '../common/names';
import type { HealthStatus } from './health';
import type { RegionConfig } from './input';
import { dataPeriodMs } from './schedule';
import type { RegionState } from './state';

export interface StatusVerdict {
  readonly status: HealthStatus;
  readonly statusReason: string;
}

/** Stored data this old (at the usual 5-minute cadence) makes the region degraded… */
export const STALE_DEGRADED_MS = 15 * 60_000;
/** …and this old, unhealthy. */
export const STALE_UNHEALTHY_MS = 60 * 60_000;

/** Now minus the newest `point_time` stored in InfluxDB, or null before anything was stored. */
export function dataAgeMs(state: RegionState, nowMs: number): number | null {
  return state.newestStoredPointMs === null ? null : nowMs - state.newestStoredPointMs;
}

/** InfluxDB refused a write for good (field type conflict, token, bucket): only the operator can fix it. */
export function storageNeedsOperator(state: RegionState): StatusVerdict | null {
  const failure = state.storageFailure;
  if (failure?.type !== FailureType.StorageRejected) return null;
  return { status: 'unhealthy', statusReason: `needs the operator: ${failure.message}${heldNote(state)}` };
}

/**
 * Stale data, then held readings. The data's age is judged when WattTime last answered (the
 * latest successful fetch): stale data despite successful fetches is the point, and a region just
 * resumed from a pause, whose data aged while nothing was fetched, is not stale until a fetch says
 * so. Thresholds are 15 and 60 minutes at the usual 5-minute cadence; a longer one (hourly
 * `co2_aoer`, a longer fetch interval) adds the difference, since the newest point is then
 * normally that much older. Before anything was stored, held readings count from the oldest one.
 */
export function dataStatus(config: RegionConfig, state: RegionState): StatusVerdict | null {
  const oldestHeld = state.heldReadings[0];
  const sinceMs = state.newestStoredPointMs ?? (oldestHeld === undefined ? null : Date.parse(oldestHeld.pointTime));
  const ageMs = sinceMs === null || state.lastSuccessAtMs === null ? null : state.lastSuccessAtMs - sinceMs;
  const cadenceMs = Math.max(dataPeriodMs(config.signalType), state.intervalSeconds * 1000);
  const slackMs = cadenceMs - FIVE_MINUTE_PERIOD_SECONDS * 1000;
  if (sinceMs !== null && ageMs !== null && ageMs >= STALE_DEGRADED_MS + slackMs) {
    const what = state.newestStoredPointMs === null ? 'nothing stored yet, oldest held point_time' : 'newest stored point_time';
    const stale = `${what} ${new Date(sinceMs).toISOString()} is ${Math.floor(ageMs / 60_000)} min old`;
    const why = state.heldReadings.length > 0 ? heldNote(state) : sameFeedNote(state);
    return ageMs >= STALE_UNHEALTHY_MS + slackMs
      ? { status: 'unhealthy', statusReason: `stale data for 60 minutes or more: ${stale}${why}` }
      : { status: 'degraded', statusReason: `stale data: ${stale}${why}` };
  }
  if (state.heldReadings.length > 0) {
    return { status: 'degraded', statusReason: `${state.heldReadings.length} period(s) held, not yet stored: ${state.storageFailure?.message ?? 'InfluxDB write failed'}` };
  }
  return null;
}

function heldNote(state: RegionState): string {
  const held = state.heldReadings.length;
  if (held === 0) return '';
  const failure = state.storageFailure === null || state.storageFailure.type === FailureType.StorageRejected ? '' : `: ${state.storageFailure.message}`;
  return `; ${held} period(s) held, not yet stored${failure}`;
}

/** WattTime answered, and stored, but the period did not move on. */
function sameFeedNote(state: RegionState): string {
  const latest = state.lastReading === null ? null : Date.parse(state.lastReading.pointTime);
  return latest !== null && latest === state.newestStoredPointMs && state.consecutiveFailures === 0
    ? '; WattTime keeps answering for the same period'
    : '';
}
