import { describe, expect, it } from 'vitest';
import { FIVE_MINUTES_MS, splitHistoricalRange, type TimeRange } from '../../watttime/historical-chunks';
import { MAX_HISTORICAL_CHUNK_MS } from '../../common/historical-limits';

const DAY_MS = 86_400_000;
const T0 = Date.parse('2024-06-01T00:00:00+00:00');

/** Grid points (5-minute) inside an inclusive range. */
function gridPoints(range: TimeRange): number[] {
  const points: number[] = [];
  const first = Math.ceil(range.start.getTime() / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
  for (let t = first; t <= range.end.getTime(); t += FIVE_MINUTES_MS) points.push(t);
  return points;
}

function expectExactCover(range: TimeRange, chunks: TimeRange[]): void {
  const covered = chunks.flatMap(gridPoints);
  expect(covered).toEqual(gridPoints(range));
  expect(new Set(covered).size).toBe(covered.length);
  for (const chunk of chunks) {
    expect(chunk.end.getTime() - chunk.start.getTime()).toBeLessThanOrEqual(MAX_HISTORICAL_CHUNK_MS);
    expect(chunk.end.getTime()).toBeGreaterThanOrEqual(chunk.start.getTime());
  }
  for (let i = 1; i < chunks.length; i++) {
    expect(chunks[i]?.start.getTime()).toBe((chunks[i - 1]?.end.getTime() ?? NaN) + FIVE_MINUTES_MS);
  }
  expect(chunks[0]?.start).toEqual(range.start);
  expect(chunks.at(-1)?.end).toEqual(range.end);
}

describe('splitHistoricalRange', () => {
  it('keeps a range of up to 10 days in one chunk', () => {
    const range = { start: new Date(T0), end: new Date(T0 + 10 * DAY_MS) };
    expect(splitHistoricalRange(range)).toEqual([range]);
  });

  it('splits 25 days into 3 chunks that cover every 5-minute point exactly once', () => {
    const range = { start: new Date(T0), end: new Date(T0 + 25 * DAY_MS) };
    const chunks = splitHistoricalRange(range);
    expect(chunks).toHaveLength(3);
    expect(chunks[0]).toEqual({ start: new Date(T0), end: new Date(T0 + 10 * DAY_MS) });
    expect(chunks[1]).toEqual({
      start: new Date(T0 + 10 * DAY_MS + FIVE_MINUTES_MS),
      end: new Date(T0 + 20 * DAY_MS + FIVE_MINUTES_MS),
    });
    expectExactCover(range, chunks);
  });

  it('stays on the 5-minute grid when the start is not on it', () => {
    const range = { start: new Date(T0 + 3 * 60_000 + 17_000), end: new Date(T0 + 31 * DAY_MS + 61_000) };
    const chunks = splitHistoricalRange(range);
    expect(chunks).toHaveLength(4);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.end.getTime() % FIVE_MINUTES_MS).toBe(0);
    expectExactCover(range, chunks);
  });

  it('honours a smaller chunk size', () => {
    const range = { start: new Date(T0), end: new Date(T0 + DAY_MS) };
    const chunks = splitHistoricalRange(range, 6 * 3_600_000);
    expect(chunks).toHaveLength(4);
    expectExactCover(range, chunks);
  });

  it('returns a single-instant range as one chunk and a reversed range as none', () => {
    const at = new Date(T0);
    expect(splitHistoricalRange({ start: at, end: at })).toEqual([{ start: at, end: at }]);
    expect(splitHistoricalRange({ start: new Date(T0 + 1), end: at })).toEqual([]);
  });

  it('refuses chunks shorter than one period', () => {
    expect(() => splitHistoricalRange({ start: new Date(T0), end: new Date(T0 + DAY_MS) }, 60_000)).toThrow(RangeError);
  });
});
