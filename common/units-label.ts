/**
 * How a reading's unit reads in one-line statuses and logs: `lbs/MWh` for WattTime's
 * `lbs_co2_per_mwh` (or a reading from before units were recorded), any other unit as WattTime
 * names it. Plain code only: this module is bundled into the workflow sandbox.
 */
export function unitsLabel(units: string | null | undefined): string {
  return units === null || units === undefined || units === 'lbs_co2_per_mwh' ? 'lbs/MWh' : units;
}
