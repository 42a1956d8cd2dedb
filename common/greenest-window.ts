/**
 * The greenest window for a job of a given length: the run of whole 5-minute periods of a stored
 * MOER forecast with the lowest average. Pure arithmetic on a curve, shared by the client
 * (`best-window`) and the planning activity behind `waitForGreenestWindow`; reading the curve
 * from InfluxDB is `activities/influx-reader.ts`.
 */
import { LBS_PER_MWH_TO_G_PER_KWH } from './units';
import { MOER_PERIOD_MS, moerPeriodStart, periodsFor } from './moer-period';

/** A forecast older than this (at the time asked) is flagged as stale. */
export const STALE_FORECAST_MS = 30 * 60_000;

/** Window averages closer than this (lbs/MWh) tie, and the earliest window wins. */
export const TIE_TOLERANCE_LBS_MWH = 1e-6;

/** One point of a MOER forecast. */
export interface MoerPoint {
  /** `point_time`, ms since epoch: the point covers [pointTimeMs, pointTimeMs + 5 min). */
  readonly pointTimeMs: number;
  /** Forecast MOER, lbs CO2 per MWh. */
  readonly moerLbsMwh: number;
}

/** One forecast as stored in `carbon_intensity_forecast`. */
export interface ForecastCurve {
  readonly region: string;
  readonly signalType: string;
  /** WattTime's `generated_at` of this forecast, ISO-8601. */
  readonly generatedAt: string;
  /** Ascending by `pointTimeMs`, normally 5 minutes apart from `generatedAt` on. */
  readonly points: readonly MoerPoint[];
}

export interface GreenestWindowRequest {
  /** How long the job runs, ms (> 0); rounded up to whole 5-minute periods. */
  readonly durationMs: number;
  /** The current time, ms since epoch: windows start in the period containing it or later. */
  readonly nowMs: number;
  /** Latest allowed start, ms since epoch (e.g. deadline − duration); default: none. */
  readonly latestStartMs?: number;
}

/** A run of periods and its average forecast MOER. */
export interface WindowAverage {
  /** `point_time` of the first period, ISO-8601. */
  readonly start: string;
  /** End of the last period, ISO-8601. */
  readonly end: string;
  /** Mean of the periods' forecast MOER, lbs CO2/MWh. */
  readonly averageMoerLbsMwh: number;
  /** The same in g CO2/kWh (× 0.45359237). */
  readonly averageGco2Kwh: number;
}

export interface GreenestWindow {
  readonly region: string;
  readonly signalType: string;
  /** Whole 5-minute periods the job needs. */
  readonly periods: number;
  /** `periods` × 5. */
  readonly durationMinutes: number;
  /** The window with the lowest average; the earliest of equal ones. */
  readonly best: WindowAverage;
  /** The earliest window: starting at once (in the current period when the forecast covers it). */
  readonly startingNow: WindowAverage;
  /** `startingNow` − `best` average, lbs CO2/MWh (never negative). */
  readonly savingLbsMwh: number;
  /** The same in g CO2/kWh. */
  readonly savingGco2Kwh: number;
  /** `savingLbsMwh` as a percentage of the `startingNow` average (0 when that is 0). */
  readonly savingPercent: number;
  /** True when the best window is the earliest one: start now. */
  readonly startsNow: boolean;
  readonly forecast: {
    /** `generated_at`, ISO-8601. */
    readonly generatedAt: string;
    /** Whole minutes between `generatedAt` and the time asked. */
    readonly ageMinutes: number;
    /** Older than 30 minutes: the region's workflow may not be fetching. */
    readonly stale: boolean;
    /** End of the forecast's last period, ISO-8601. */
    readonly endsAt: string;
  };
}

/** Why no window was found: longer than the whole forecast, or none left between now and the latest start. */
export type WindowProblem = 'longer-than-forecast' | 'no-window-left';

export type GreenestWindowAnswer =
  | { readonly found: true; readonly window: GreenestWindow }
  | { readonly found: false; readonly problem: WindowProblem; readonly message: string };

/**
 * The window of `ceil(durationMs / 5 min)` consecutive forecast periods with the lowest average
 * MOER, among those starting in the period containing `nowMs` or later and no later than
 * `latestStartMs`. Periods missing from the curve are never bridged. Ties (within
 * `TIE_TOLERANCE_LBS_MWH`) go to the earliest window.
 *
 * @throws RangeError when `durationMs` is not a positive finite number.
 */
export function findGreenestWindow(curve: ForecastCurve, request: GreenestWindowRequest): GreenestWindowAnswer {
  const { durationMs, nowMs } = request;
  if (!Number.isFinite(durationMs) || durationMs <= 0) {
    throw new RangeError(`duration must be a positive number of milliseconds, got ${durationMs}`);
  }
  const periods = periodsFor(durationMs);
  const minutes = (periods * MOER_PERIOD_MS) / 60_000;
  const points = curve.points;
  const horizonMinutes = (points.length * MOER_PERIOD_MS) / 60_000;
  if (periods > points.length) {
    return {
      found: false,
      problem: 'longer-than-forecast',
      message: `a ${minutes}-minute window does not fit in the ${horizonMinutes}-minute forecast generated ${curve.generatedAt}`,
    };
  }

  const earliestStartMs = moerPeriodStart(nowMs);
  const latestStartMs = request.latestStartMs ?? Infinity;
  // At most 865 points of 864 periods each: summing every window directly is cheap, and equal
  // values summed in the same order give exactly equal averages.
  let first: Candidate | undefined;
  let best: Candidate | undefined;
  for (const [index, point] of points.entries()) {
    if (point.pointTimeMs > latestStartMs) break;
    if (point.pointTimeMs < earliestStartMs) continue;
    const run = points.slice(index, index + periods);
    const last = run.at(-1);
    // Ascending points spanning exactly (periods − 1) periods leave no hole.
    if (run.length < periods || last === undefined || last.pointTimeMs - point.pointTimeMs !== (periods - 1) * MOER_PERIOD_MS) continue;
    const candidate = { startMs: point.pointTimeMs, average: run.reduce((sum, p) => sum + p.moerLbsMwh, 0) / periods };
    first ??= candidate;
    if (best === undefined || candidate.average < best.average - TIE_TOLERANCE_LBS_MWH) best = candidate;
  }
  if (first === undefined || best === undefined) {
    const starts = Number.isFinite(latestStartMs)
      ? `between ${iso(earliestStartMs)} and ${iso(latestStartMs)}`
      : `at or after ${iso(earliestStartMs)}`;
    return {
      found: false,
      problem: 'no-window-left',
      message: `the forecast generated ${curve.generatedAt} has no whole ${minutes}-minute window starting ${starts}`,
    };
  }

  const windowOf = ({ startMs, average }: Candidate): WindowAverage => ({
    start: iso(startMs),
    end: iso(startMs + periods * MOER_PERIOD_MS),
    averageMoerLbsMwh: average,
    averageGco2Kwh: average * LBS_PER_MWH_TO_G_PER_KWH,
  });
  const saving = Math.max(0, first.average - best.average);
  const ageMs = nowMs - Date.parse(curve.generatedAt);
  return {
    found: true,
    window: {
      region: curve.region,
      signalType: curve.signalType,
      periods,
      durationMinutes: minutes,
      best: windowOf(best),
      startingNow: windowOf(first),
      savingLbsMwh: saving,
      savingGco2Kwh: saving * LBS_PER_MWH_TO_G_PER_KWH,
      savingPercent: first.average === 0 ? 0 : (saving / first.average) * 100,
      startsNow: best.startMs === first.startMs,
      forecast: {
        generatedAt: curve.generatedAt,
        ageMinutes: Math.floor(ageMs / 60_000),
        stale: ageMs > STALE_FORECAST_MS,
        endsAt: iso((points.at(-1)?.pointTimeMs ?? 0) + MOER_PERIOD_MS),
      },
    },
  };
}

interface Candidate {
  readonly startMs: number;
  /** lbs CO2/MWh. */
  readonly average: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
