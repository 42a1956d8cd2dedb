import { MAX_HISTORICAL_CHUNK_MS } from '../common/historical-limits';

/** WattTime's MOER data period: points sit on a 5-minute grid aligned to the epoch. */
export const FIVE_MINUTES_MS = 5 * 60_000;

/** An inclusive time range, as `/v3/historical` interprets `start` and `end`. */
export interface TimeRange {
  start: Date;
  end: Date;
}

/**
 * Splits the inclusive range [start, end] into inclusive chunks with `end - start` of at most
 * `maxChunkMs`. Every chunk but the last ends on the 5-minute grid and the next one starts
 * exactly 5 minutes later, so no grid point is asked for twice or skipped, even when `start`
 * itself is off the grid. An `end` before `start` yields no chunks.
 */
export function splitHistoricalRange(range: TimeRange, maxChunkMs: number = MAX_HISTORICAL_CHUNK_MS): TimeRange[] {
  if (maxChunkMs < FIVE_MINUTES_MS) {
    throw new RangeError(`maxChunkMs must be at least ${FIVE_MINUTES_MS} ms, got ${maxChunkMs}`);
  }
  const endMs = range.end.getTime();
  const chunks: TimeRange[] = [];
  let startMs = range.start.getTime();
  while (startMs <= endMs) {
    const latest = startMs + maxChunkMs;
    if (latest >= endMs) {
      chunks.push({ start: new Date(startMs), end: new Date(endMs) });
      break;
    }
    const chunkEnd = Math.floor(latest / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
    chunks.push({ start: new Date(startMs), end: new Date(chunkEnd) });
    startMs = chunkEnd + FIVE_MINUTES_MS;
  }
  return chunks;
}
