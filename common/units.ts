/**
 * Kilograms in one avoirdupois pound, which is also the lbs/MWh → g/kWh factor:
 * 1 lb = 453.59237 g, and per MWh → per kWh divides by 1000.
 */
export const LBS_PER_MWH_TO_G_PER_KWH = 0.45359237;

/** WattTime reports MOER/AOER in lbs CO2 per MWh; we store g CO2 per kWh. */
export function lbsPerMwhToGramsPerKwh(lbsPerMwh: number): number {
  return lbsPerMwh * LBS_PER_MWH_TO_G_PER_KWH;
}
