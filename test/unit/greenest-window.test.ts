import { describe, expect, it } from 'vitest';
import { findGreenestWindow, type ForecastCurve, type GreenestWindow } from '../../common/greenest-window';
import { jobEmissions } from '../../common/job-emissions';

const G = Date.parse('2024-06-18T18:40:00Z');
const MIN = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** `count` 5-minute points from G, MOER given by index. */
function curve(count: number, moer: (index: number) => number, skip: readonly number[] = []): ForecastCurve {
  const points = Array.from({ length: count }, (_, i) => ({ pointTimeMs: G + i * 5 * MIN, moerLbsMwh: moer(i) })).filter((_, i) => !skip.includes(i));
  return { region: 'CAISO_NORTH', signalType: 'co2_moer', generatedAt: iso(G), points };
}

function windowOf(forecast: ForecastCurve, durationMs: number, nowMs = G + 2.5 * MIN, latestStartMs?: number): GreenestWindow {
  const answer = findGreenestWindow(forecast, { durationMs, nowMs, latestStartMs });
  if (!answer.found) throw new Error(answer.message);
  return answer.window;
}

describe('findGreenestWindow', () => {
  it('rounds the duration up to whole 5-minute periods and averages exactly those periods', () => {
    // 7 minutes → 2 periods; the lowest pair is points 4 and 5 (MOER 500 and 520).
    const window = windowOf(curve(12, (i) => (i === 4 ? 500 : i === 5 ? 520 : 900)), 7 * MIN);
    expect(window).toMatchObject({ periods: 2, durationMinutes: 10, startsNow: false });
    expect(window.best).toEqual({
      start: iso(G + 20 * MIN),
      end: iso(G + 30 * MIN),
      averageMoerLbsMwh: 510,
      averageGco2Kwh: 510 * 0.45359237,
    });
    expect(window.startingNow).toMatchObject({ start: iso(G), averageMoerLbsMwh: 900 });
    expect(window.savingLbsMwh).toBe(390);
    expect(window.savingPercent).toBeCloseTo((390 / 900) * 100, 10);
  });

  it('starts no earlier than the period containing now, and no later than the latest start', () => {
    const falling = curve(24, (i) => 1000 - i);
    // Now is 12 minutes in: the current period starts at G+10 min.
    expect(windowOf(falling, 5 * MIN, G + 12 * MIN, G + 47 * MIN).startingNow.start).toBe(iso(G + 10 * MIN));
    // The lowest MOER is at the end; the latest start G+47 min allows G+45 min at most.
    expect(windowOf(falling, 5 * MIN, G + 12 * MIN, G + 47 * MIN).best.start).toBe(iso(G + 45 * MIN));
  });

  it('gives ties to the earliest window, also for a flat curve', () => {
    const twoValleys = curve(48, (i) => (i === 10 || i === 30 ? 400 : 800));
    expect(windowOf(twoValleys, 5 * MIN).best.start).toBe(iso(G + 50 * MIN));
    const flat = windowOf(curve(48, () => 712.3), 30 * MIN);
    expect(flat).toMatchObject({ startsNow: true, savingLbsMwh: 0, savingPercent: 0 });
    expect(flat.best.start).toBe(iso(G));
  });

  it('never bridges a hole in the curve', () => {
    // Points 3 and 4 are the lowest, but point 2 is missing; a 3-period window must not span it.
    const holed = curve(10, (i) => (i === 3 || i === 4 ? 100 : 900), [2]);
    expect(windowOf(holed, 15 * MIN).best.start).toBe(iso(G + 15 * MIN));
  });

  it('flags a forecast older than 30 minutes, and says how old it is', () => {
    const forecast = curve(48, () => 800);
    expect(windowOf(forecast, 5 * MIN, G + 30 * MIN).forecast).toMatchObject({ ageMinutes: 30, stale: false });
    expect(windowOf(forecast, 5 * MIN, G + 30 * MIN + 1).forecast).toMatchObject({ ageMinutes: 30, stale: true });
    expect(windowOf(forecast, 5 * MIN).forecast.endsAt).toBe(iso(G + 48 * 5 * MIN));
  });

  it('answers why no window was found: longer than the forecast, or none left', () => {
    expect(findGreenestWindow(curve(12, () => 800), { durationMs: 65 * MIN, nowMs: G })).toEqual({
      found: false,
      problem: 'longer-than-forecast',
      message: 'a 65-minute window does not fit in the 60-minute forecast generated 2024-06-18T18:40:00.000Z',
    });
    expect(findGreenestWindow(curve(12, () => 800), { durationMs: 30 * MIN, nowMs: G + 40 * MIN })).toEqual({
      found: false,
      problem: 'no-window-left',
      message: 'the forecast generated 2024-06-18T18:40:00.000Z has no whole 30-minute window starting at or after 2024-06-18T19:20:00.000Z',
    });
    expect(() => findGreenestWindow(curve(12, () => 800), { durationMs: 0, nowMs: G })).toThrow(
      'duration must be a positive number of milliseconds, got 0',
    );
  });
});

describe('jobEmissions', () => {
  it('spreads a total energy evenly and counts a period only for the part inside the run', () => {
    const stored = new Map([
      [G, 1000],
      [G + 5 * MIN, 500],
    ]);
    // 2.5 minutes of each period at 12 kW: 0.5 kWh each; 1000 × 0.5 / 1000 + 500 × 0.5 / 1000 = 0.75 lbs.
    const result = jobEmissions(stored, { fromMs: G + 2.5 * MIN, toMs: G + 7.5 * MIN, load: { kwh: 1 } });
    expect(result).toMatchObject({ powerKw: 12, energyKwh: 1, periods: 2, storedPeriods: 2, missingPeriods: 0, coveredEnergyKwh: 1 });
    expect(result.emissionsLbs).toBeCloseTo(0.75, 12);
    expect(result.emissionsKg).toBeCloseTo(0.75 * 0.45359237, 12);
  });

  it('refuses an empty run and a load that is not positive', () => {
    expect(() => jobEmissions(new Map(), { fromMs: G, toMs: G, load: { kw: 1 } })).toThrow('the job must end after it starts');
    expect(() => jobEmissions(new Map(), { fromMs: G, toMs: G + MIN, load: { kwh: -1 } })).toThrow('kwh must be a positive number, got -1');
  });
});
