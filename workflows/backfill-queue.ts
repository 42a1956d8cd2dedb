/**
 * Gaps in a region's readings, waiting to be backfilled from `/v3/historical`: pure arithmetic on
 * `point_time`s, so what is asked for and what is counted is the same in replay.
 */
import { MAX_HISTORICAL_CHUNK_MS } from '../common/historical-limits';

/** Missing periods by `point_time` (ms since epoch), both ends included. */
export interface PeriodRange {
  readonly firstMs: number;
  readonly lastMs: number;
}

/**
 * Gaps held at most. Each successful fetch backfills one, so only a historical endpoint failing
 * for days while fetches succeed lets them pile up; then the oldest is given up as missed, which
 * keeps the state carried through continue-as-new small.
 */
export const MAX_QUEUED_GAPS = 100;

/** Failed tries of one chunk, each after a later successful fetch, before it counts as missed. */
export const MAX_BACKFILL_ATTEMPTS = 5;

/**
 * WattTime publishes a period's data from about a minute to hours after it starts. Recent periods
 * `/v3/historical` did not have yet are asked for again for this long after they ended.
 */
export const PUBLICATION_WAIT_MS = 6 * 60 * 60_000;

/** The periods strictly between two successive readings, or null when they are adjacent (or repeat). */
export function gapBetween(previousPointMs: number, pointMs: number, periodMs: number): PeriodRange | null {
  const firstMs = previousPointMs + periodMs;
  const lastMs = pointMs - periodMs;
  return lastMs >= firstMs ? { firstMs, lastMs } : null;
}

export function periodsIn(range: PeriodRange, periodMs: number): number {
  return Math.round((range.lastMs - range.firstMs) / periodMs) + 1;
}

/** The first part of a gap that one `/v3/historical` request may cover (at most 10 days). */
export function firstChunk(range: PeriodRange, periodMs: number): PeriodRange {
  const longestMs = Math.floor(MAX_HISTORICAL_CHUNK_MS / periodMs) * periodMs;
  return { firstMs: range.firstMs, lastMs: Math.min(range.lastMs, range.firstMs + longestMs) };
}

/** What is left of a gap once its first chunk is settled, or null when nothing is. */
export function afterChunk(range: PeriodRange, chunk: PeriodRange, periodMs: number): PeriodRange | null {
  const firstMs = chunk.lastMs + periodMs;
  return firstMs <= range.lastMs ? { firstMs, lastMs: range.lastMs } : null;
}

/**
 * The end of a backfilled chunk that `/v3/historical` did not have yet — the periods after the
 * last one stored — while they are recent enough to still be published; null otherwise.
 */
export function unpublishedTail(chunk: PeriodRange, lastStoredMs: number | null, nowMs: number, periodMs: number): PeriodRange | null {
  const firstMs = lastStoredMs === null ? chunk.firstMs : lastStoredMs + periodMs;
  if (firstMs > chunk.lastMs || nowMs - chunk.lastMs >= PUBLICATION_WAIT_MS) return null;
  return { firstMs, lastMs: chunk.lastMs };
}

/** `ranges` (oldest first, apart) with one more period, merged into the range it extends. */
export function withPeriod(ranges: readonly PeriodRange[], pointMs: number, periodMs: number): PeriodRange[] {
  if (ranges.some((g) => g.firstMs <= pointMs && pointMs <= g.lastMs)) return [...ranges];
  const after = ranges.findIndex((g) => g.lastMs + periodMs === pointMs);
  const before = ranges.findIndex((g) => g.firstMs - periodMs === pointMs);
  const [left, right] = [ranges[after], ranges[before]];
  // The period fills the hole between two ranges: they become one.
  if (left !== undefined && right !== undefined) {
    return [...ranges.slice(0, after), { firstMs: left.firstMs, lastMs: right.lastMs }, ...ranges.slice(before + 1)];
  }
  if (after !== -1) return ranges.map((g, i) => (i === after ? { firstMs: g.firstMs, lastMs: pointMs } : g));
  if (before !== -1) return ranges.map((g, i) => (i === before ? { firstMs: pointMs, lastMs: g.lastMs } : g));
  const later = ranges.findIndex((g) => g.firstMs > pointMs);
  const gap = { firstMs: pointMs, lastMs: pointMs };
  return later === -1 ? [...ranges, gap] : [...ranges.slice(0, later), gap, ...ranges.slice(later)];
}

/** The parts of `ranges` within [fromMs, toMs]. */
export function clipRanges(ranges: readonly PeriodRange[], fromMs: number, toMs: number): PeriodRange[] {
  return ranges
    .map((g) => ({ firstMs: Math.max(g.firstMs, fromMs), lastMs: Math.min(g.lastMs, toMs) }))
    .filter((g) => g.firstMs <= g.lastMs);
}
