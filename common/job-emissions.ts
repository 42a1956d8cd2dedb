/**
 * A job's emissions from the stored MOER: for every 5-minute period the job overlaps, MOER
 * (lbs CO2/MWh) × the energy the job used in it (MWh). Periods with no stored MOER are counted
 * and listed, never filled in. Pure arithmetic; reading the MOER from InfluxDB is
 * `activities/influx-reader.ts`.
 */
import { LBS_PER_MWH_TO_G_PER_KWH } from './units';
import { MOER_PERIOD_MS, moerPeriodStart } from './moer-period';

/** Kilograms in one pound: the same factor as lbs/MWh → g/kWh. */
const KG_PER_LB = LBS_PER_MWH_TO_G_PER_KWH;
const HOUR_MS = 3_600_000;

/** How much the job drew: a constant power (kW), or a total energy (kWh) spread evenly over its run. */
export type JobLoad = { readonly kw: number } | { readonly kwh: number };

export interface JobEmissionsRequest {
  /** When the job started and ended, ms since epoch (`toMs` > `fromMs`). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly load: JobLoad;
}

export interface JobEmissions {
  /** The job's run, ISO-8601. */
  readonly from: string;
  readonly to: string;
  /** Average power, kW. */
  readonly powerKw: number;
  /** Energy of the whole run, kWh. */
  readonly energyKwh: number;
  /** 5-minute periods the run overlaps. */
  readonly periods: number;
  /** Of those, periods with a stored MOER. */
  readonly storedPeriods: number;
  /** Periods with no stored MOER: left out of the totals, not estimated. */
  readonly missingPeriods: number;
  /** `point_time`s of the missing periods, ISO-8601, ascending. */
  readonly missingPointTimes: readonly string[];
  /** Energy drawn in periods with a stored MOER, kWh: the part the totals cover. */
  readonly coveredEnergyKwh: number;
  /** Σ MOER × energy over the stored periods, lbs CO2. */
  readonly emissionsLbs: number;
  /** The same in kg CO2 (× 0.45359237). */
  readonly emissionsKg: number;
}

/**
 * Sums MOER × energy over the periods of [fromMs, toMs); a period only partly inside the run
 * counts for the part inside. `storedMoer` maps `point_time` (ms) → MOER, lbs CO2/MWh.
 *
 * @throws RangeError when the run is empty or reversed, or the load is not a positive finite number.
 */
export function jobEmissions(storedMoer: ReadonlyMap<number, number>, request: JobEmissionsRequest): JobEmissions {
  const { fromMs, toMs, load } = request;
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new RangeError(`the job must end after it starts, got ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()}`);
  }
  const amount = 'kw' in load ? load.kw : load.kwh;
  if (!Number.isFinite(amount) || amount <= 0) {
    throw new RangeError(`${'kw' in load ? 'kw' : 'kwh'} must be a positive number, got ${amount}`);
  }
  const hours = (toMs - fromMs) / HOUR_MS;
  const powerKw = 'kw' in load ? load.kw : load.kwh / hours;

  let periods = 0;
  let coveredEnergyKwh = 0;
  let emissionsLbs = 0;
  const missingPointTimes: string[] = [];
  for (let pointMs = moerPeriodStart(fromMs); pointMs < toMs; pointMs += MOER_PERIOD_MS) {
    periods += 1;
    const moer = storedMoer.get(pointMs);
    if (moer === undefined) {
      missingPointTimes.push(new Date(pointMs).toISOString());
      continue;
    }
    const insideMs = Math.min(pointMs + MOER_PERIOD_MS, toMs) - Math.max(pointMs, fromMs);
    const energyKwh = (powerKw * insideMs) / HOUR_MS;
    coveredEnergyKwh += energyKwh;
    // lbs/MWh × kWh / 1000 = lbs.
    emissionsLbs += (moer * energyKwh) / 1000;
  }
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    powerKw,
    energyKwh: powerKw * hours,
    periods,
    storedPeriods: periods - missingPointTimes.length,
    missingPeriods: missingPointTimes.length,
    missingPointTimes,
    coveredEnergyKwh,
    emissionsLbs,
    emissionsKg: emissionsLbs * KG_PER_LB,
  };
}
