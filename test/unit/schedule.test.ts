import { describe, expect, it } from 'vitest';
import { dataPeriodMs, FETCH_OFFSET_MS, intervalProblem, nextFetchTime, slotAfter } from '../../workflows/schedule';

const MIN = 60_000;
const T0 = Date.parse('2026-11-01T12:00:00Z');

describe('fetch schedule', () => {
  it('aligns intervals that are multiples of 5 minutes to the epoch, 30 s after the boundary', () => {
    expect(FETCH_OFFSET_MS).toBe(30_000);
    expect(slotAfter(T0 + 30_000, 300)).toBe(T0 + 5 * MIN + 30_000);
    expect(slotAfter(T0 + 4 * MIN + 59_000, 300)).toBe(T0 + 5 * MIN + 30_000);
    expect(slotAfter(T0 + 5 * MIN + 31_000, 300)).toBe(T0 + 10 * MIN + 30_000);
    expect(slotAfter(T0 + 2 * MIN, 3600)).toBe(T0 + 60 * MIN + 30_000);
  });

  it('follows the previous fetch for intervals off the 5-minute grid', () => {
    expect(slotAfter(T0 + 12_345, 90)).toBe(T0 + 12_345 + 90_000);
  });

  it('fetches at once when the slot has gone by, never in the past', () => {
    expect(nextFetchTime(T0 + 30_000, T0 + MIN, 300)).toBe(T0 + 5 * MIN + 30_000);
    expect(nextFetchTime(T0 + 30_000, T0 + 17 * MIN, 300)).toBe(T0 + 17 * MIN);
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
