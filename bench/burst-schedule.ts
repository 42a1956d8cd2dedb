/** When the real-time benches' measured bursts fall, and how long they wait around them. */
import { TOKEN_REFRESH_BUFFER_SECONDS } from '../common/limits';
import { FIVE_MINUTE_PERIOD_SECONDS } from '../common/names';

/** After the last expected WattTime call, for its write and the workflow task that follows. */
export const SETTLE_MS = 3_000;

/** Opaque tokens last 30 minutes; a worker's token is refreshed one buffer + 5 s before that. */
export const LOGIN_EVERY_MS = (1800 - TOKEN_REFRESH_BUFFER_SECONDS.default - 5) * 1000;

/** The fewest logins `workers` worker processes need over `elapsedMs`: one per token lifetime each. */
export function minimumLogins(workers: number, elapsedMs: number): number {
  return workers * (1 + Math.floor(elapsedMs / LOGIN_EVERY_MS));
}

/**
 * The first instant (ms since epoch) of the measured intervals: the next 5-minute-aligned boundary
 * for an aligned interval (every region's next timer is due in the interval after it, wherever
 * its offset puts it); for any other interval, the first start plus one interval (every region's
 * first fetch began after the first start, so its next one is due after that).
 *
 * @throws Error when the first fetches of an unaligned interval ran past that instant.
 */
export function measuredFrom(intervalSeconds: number, firstStartMs: number, idleMs: number): number {
  const intervalMs = intervalSeconds * 1000;
  if (intervalSeconds % FIVE_MINUTE_PERIOD_SECONDS === 0) return Math.ceil(idleMs / intervalMs) * intervalMs;
  const from = firstStartMs + intervalMs;
  if (idleMs > from) throw new Error(`the first fetches took longer than --interval ${intervalSeconds}; use a longer interval`);
  return from;
}
