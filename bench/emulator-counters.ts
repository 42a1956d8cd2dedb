/** What the real-time benches read from the WattTime emulator's counters while a burst runs. */
import type { EmulatorCounters } from '../emulator/server';

const POLL_MS = 100;

/** `/v3/forecast` calls: one per fetch (and one more per retried attempt). */
export const forecastCalls = (counters: EmulatorCounters): number => counters.callsByEndpoint['/v3/forecast'] ?? 0;

/** Every call but `/login`. */
export const dataCalls = (counters: EmulatorCounters): number =>
  Object.entries(counters.callsByEndpoint).reduce((sum, [path, calls]) => (path === '/login' ? sum : sum + calls), 0);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Reads the counters every 100 ms until `done` holds or `deadlineMs` (ms since epoch) passes;
 * answers the last counters read. `onPoll` runs after each read (e.g. to sample memory).
 */
export async function pollCounters(
  read: () => Promise<EmulatorCounters>,
  deadlineMs: number,
  done: (counters: EmulatorCounters) => boolean,
  onPoll = (): void => undefined,
): Promise<EmulatorCounters> {
  for (;;) {
    const counters = await read();
    onPoll();
    if (done(counters) || Date.now() > deadlineMs) return counters;
    await sleep(POLL_MS);
  }
}
