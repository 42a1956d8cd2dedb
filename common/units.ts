/** `meta.units` of MOER and AOER (WATTTIME.md, "Response shape"). */
export const LBS_CO2_PER_MWH = 'lbs_co2_per_mwh';

/** `meta.units` of `/v3/signal-index`. */
export const PERCENTILE = 'percentile';

/**
 * Kilograms in one avoirdupois pound, which is also the lbs/MWh → g/kWh factor:
 * 1 lb = 453.59237 g, and per MWh → per kWh divides by 1000.
 */
export const LBS_PER_MWH_TO_G_PER_KWH = 0.45359237;

/** WattTime reports MOER/AOER in lbs CO2 per MWh; we store g CO2 per kWh beside it. */
export function lbsPerMwhToGramsPerKwh(lbsPerMwh: number): number {
  return lbsPerMwh * LBS_PER_MWH_TO_G_PER_KWH;
}
