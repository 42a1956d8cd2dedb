import { describe, expect, it } from 'vitest';
import { aoerAt, forecastValueAt, indexAt, lastUpdatedAt, moerAt } from '../../emulator/data';
import { KNOWN_REGIONS } from '../../emulator/regions';

const DAY = Date.parse('2024-06-18T00:00:00Z');
const PERIOD_MS = 300_000;
const periodsOfDay = Array.from({ length: 288 }, (_, i) => DAY + i * PERIOD_MS);

describe('moerAt', () => {
  it('stays between 600 and 1300 lbs/MWh with one decimal, for every known region, all day', () => {
    for (const { region } of KNOWN_REGIONS) {
      for (const t of periodsOfDay) {
        const value = moerAt(region, t);
        expect(value).toBeGreaterThanOrEqual(600);
        expect(value).toBeLessThanOrEqual(1300);
        expect(Math.round(value * 10) / 10).toBe(value);
      }
    }
  });

  it('is one value per 5-minute period, whatever the instant inside it', () => {
    const start = Date.parse('2024-06-18T18:40:00Z');
    expect(moerAt('CAISO_NORTH', start + 299_999)).toBe(moerAt('CAISO_NORTH', start));
    expect(moerAt('CAISO_NORTH', start + 150_000)).toBe(moerAt('CAISO_NORTH', start));
  });

  it('is a smooth daily curve: neighbouring periods differ little, the day spans a wide range', () => {
    for (const { region } of KNOWN_REGIONS) {
      const values = periodsOfDay.map((t) => moerAt(region, t));
      for (let i = 1; i < values.length; i++) {
        expect(Math.abs((values[i] ?? 0) - (values[i - 1] ?? 0))).toBeLessThan(40);
      }
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(150);
      // The same time of day on the next day follows the same curve (noise ±12 each side).
      expect(Math.abs(moerAt(region, DAY + 86_400_000) - moerAt(region, DAY))).toBeLessThanOrEqual(24);
    }
  });

  it('differs between regions', () => {
    const caiso = periodsOfDay.map((t) => moerAt('CAISO_NORTH', t));
    const pjm = periodsOfDay.map((t) => moerAt('PJM_DC', t));
    expect(caiso).not.toEqual(pjm);
  });
});

describe('indexAt', () => {
  it('is a whole percentile from 0 to 100 that orders periods like the MOER does', () => {
    for (const { region } of KNOWN_REGIONS) {
      const pairs = periodsOfDay.map((t) => ({ moer: moerAt(region, t), index: indexAt(region, t) }));
      for (const { index } of pairs) {
        expect(Number.isInteger(index)).toBe(true);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThanOrEqual(100);
      }
      const sorted = [...pairs].sort((a, b) => a.moer - b.moer);
      for (let i = 1; i < sorted.length; i++) {
        expect(sorted[i]?.index ?? 0).toBeGreaterThanOrEqual(sorted[i - 1]?.index ?? 0);
      }
    }
  });
});

describe('forecastValueAt', () => {
  const generatedAt = Date.parse('2024-06-18T18:40:00Z');

  it('equals the actual MOER for the generation period itself', () => {
    expect(forecastValueAt('CAISO_NORTH', generatedAt, generatedAt)).toBe(moerAt('CAISO_NORTH', generatedAt));
  });

  it('adds a deterministic bias of at most 20 lbs/MWh to later periods', () => {
    let biased = 0;
    for (let i = 1; i < 288; i++) {
      const t = generatedAt + i * PERIOD_MS;
      const value = forecastValueAt('CAISO_NORTH', generatedAt, t);
      expect(value).toBe(forecastValueAt('CAISO_NORTH', generatedAt, t));
      expect(Math.abs(value - moerAt('CAISO_NORTH', t))).toBeLessThanOrEqual(20.05);
      if (value !== moerAt('CAISO_NORTH', t)) biased++;
    }
    expect(biased).toBeGreaterThan(250);
  });

  it('follows the AOER for co2_aoer', () => {
    const hour = Date.parse('2024-06-18T18:00:00Z');
    expect(forecastValueAt('PJM_DC', hour, hour, 'co2_aoer')).toBe(aoerAt('PJM_DC', hour));
  });
});

describe('aoerAt', () => {
  it('is one value per hour, below the MOER range', () => {
    const hour = Date.parse('2024-06-18T18:00:00Z');
    expect(aoerAt('PJM_DC', hour + 3_599_999)).toBe(aoerAt('PJM_DC', hour));
    for (let h = 0; h < 24; h++) {
      const value = aoerAt('PJM_DC', DAY + h * 3_600_000);
      expect(value).toBeGreaterThanOrEqual(420);
      expect(value).toBeLessThanOrEqual(910);
    }
  });
});

describe('lastUpdatedAt', () => {
  it('is one minute after the period starts, but never in the future', () => {
    const t = Date.parse('2024-06-18T18:40:00Z');
    expect(lastUpdatedAt(t, t + 600_000)).toBe(t + 60_000);
    expect(lastUpdatedAt(t, t + 30_500)).toBe(t + 30_000);
  });
});
