import { describe, expect, it } from 'vitest';
import { FETCH_WINDOW_SECONDS } from '../../common/limits';
import { fetchOffsetMs } from '../../workflows/fetch-offset';
import { resolveInput } from '../../workflows/input';
import { dataPeriodMs, FETCH_OFFSET_MS, intervalProblem, nextFetchTime, slotAfter } from '../../workflows/schedule';

const MIN = 60_000;
const T0 = Date.parse('2026-11-01T12:00:00Z');

describe('fetch schedule', () => {
  it('aligns intervals that are multiples of 5 minutes to the epoch, 30 s after the boundary', () => {
    expect(FETCH_OFFSET_MS).toBe(30_000);
    expect(slotAfter(T0 + 30_000, 300, 0)).toBe(T0 + 5 * MIN + 30_000);
    expect(slotAfter(T0 + 4 * MIN + 59_000, 300, 0)).toBe(T0 + 5 * MIN + 30_000);
    expect(slotAfter(T0 + 5 * MIN + 31_000, 300, 0)).toBe(T0 + 10 * MIN + 30_000);
    expect(slotAfter(T0 + 2 * MIN, 3600, 0)).toBe(T0 + 60 * MIN + 30_000);
  });

  it('follows the previous fetch for intervals off the 5-minute grid', () => {
    expect(slotAfter(T0 + 12_345, 90, 0)).toBe(T0 + 12_345 + 90_000);
    // The window's offset is for aligned intervals only.
    expect(slotAfter(T0 + 12_345, 90, 73_000)).toBe(T0 + 12_345 + 90_000);
  });

  it('fetches at once when the slot has gone by, never in the past', () => {
    expect(nextFetchTime(T0 + 30_000, T0 + MIN, 300, 0)).toBe(T0 + 5 * MIN + 30_000);
    expect(nextFetchTime(T0 + 30_000, T0 + 17 * MIN, 300, 0)).toBe(T0 + 17 * MIN);
    expect(nextFetchTime(T0 + 103_000, T0 + 17 * MIN, 300, 73_000)).toBe(T0 + 17 * MIN);
  });

  it('refuses intervals outside 60–3600 whole seconds with a reason', () => {
    expect(intervalProblem(60)).toBeUndefined();
    expect(intervalProblem(3600)).toBeUndefined();
    expect(intervalProblem(59)).toBe('intervalSeconds must be between 60 and 3600, got 59');
    expect(intervalProblem(3601)).toBe('intervalSeconds must be between 60 and 3600, got 3601');
    expect(intervalProblem(90.5)).toBe('intervalSeconds must be a whole number of seconds, got 90.5');
    expect(intervalProblem('300')).toBe('intervalSeconds must be a whole number of seconds, got 300');
  });

  it('knows each signal type’s data period', () => {
    expect(dataPeriodMs('co2_moer')).toBe(5 * MIN);
    expect(dataPeriodMs('health_damage')).toBe(5 * MIN);
    expect(dataPeriodMs('co2_aoer')).toBe(60 * MIN);
  });
});

/** Synthetic region codes, as many as a large deployment runs. */
const REGIONS = Array.from({ length: 1000 }, (_, i) => `REGION_${i}`);

describe('the fetch window', () => {
  it('puts each region at its own offset after the publication offset, the same in every period and every run', () => {
    const offset = fetchOffsetMs('CAISO_NORTH', 'co2_moer', 120);
    expect(offset).toBe(41_000);
    expect(fetchOffsetMs('CAISO_NORTH', 'co2_moer', 120)).toBe(offset);
    // Another signal type is another workflow id, so another offset.
    expect(fetchOffsetMs('CAISO_NORTH', 'co2_aoer', 120)).toBe(24_000);
    expect(resolveInput({ region: 'CAISO_NORTH', fetchWindowSeconds: 120 }).fetchOffsetMs).toBe(offset);
    // Period after period at :00:30 + 41 s, :05:30 + 41 s, …: never the same period twice.
    let startedAtMs = T0 + 30_000 + offset;
    for (let period = 1; period <= 3; period++) {
      startedAtMs = slotAfter(startedAtMs, 300, offset);
      expect(startedAtMs).toBe(T0 + period * 5 * MIN + 71_000);
    }
    expect(slotAfter(T0 + 2 * MIN, 3600, offset)).toBe(T0 + 60 * MIN + 71_000);
  });

  it('never fetches before the publication offset nor past the window, and 0 keeps every region at +30 s', () => {
    for (const windowSeconds of [1, 7, 120, FETCH_WINDOW_SECONDS.max]) {
      for (const region of REGIONS) {
        const offset = fetchOffsetMs(region, 'co2_moer', windowSeconds);
        expect(offset % 1000).toBe(0);
        expect(offset).toBeGreaterThanOrEqual(0);
        expect(offset).toBeLessThan(windowSeconds * 1000);
        const slot = slotAfter(T0 + 30_000 + offset, 300, offset);
        expect(slot - (T0 + 5 * MIN)).toBeGreaterThanOrEqual(FETCH_OFFSET_MS);
        expect(slot - (T0 + 5 * MIN)).toBeLessThan(FETCH_OFFSET_MS + windowSeconds * 1000);
      }
    }
    expect(REGIONS.map((region) => fetchOffsetMs(region, 'co2_moer', 0)).every((offset) => offset === 0)).toBe(true);
  });

  it('ends the widest window at least 30 s before the next 5-minute period, so a fetch stays in its own period', () => {
    expect(FETCH_WINDOW_SECONDS).toEqual({ min: 0, max: 240, default: 120 });
    const latestStartMs = FETCH_OFFSET_MS + (FETCH_WINDOW_SECONDS.max - 1) * 1000;
    expect(5 * MIN - latestStartMs).toBe(31_000);
  });

  it('spreads 1,000 regions evenly over the window: no 10-second slice of the 120 s default holds more than 1.4× its share', () => {
    const slices = new Array<number>(12).fill(0);
    for (const region of REGIONS) {
      const slice = Math.floor(fetchOffsetMs(region, 'co2_moer', 120) / 10_000);
      slices[slice] = (slices[slice] ?? 0) + 1;
    }
    const share = REGIONS.length / slices.length;
    expect(Math.max(...slices)).toBeLessThanOrEqual(1.4 * share);
    expect(Math.min(...slices)).toBeGreaterThanOrEqual(0.6 * share);
    // Without the window all 1,000 would be due in the same second.
    const seconds = new Set(REGIONS.map((region) => fetchOffsetMs(region, 'co2_moer', 120)));
    expect(seconds.size).toBe(120);
  });
});
