/** Signal types WattTime knows, and how the emulator serves the ones it has data for. */

/** Every signal type the API recognises; anything else is a bad parameter (400). */
const KNOWN_SIGNAL_TYPES = ['co2_moer', 'co2_aoer', 'health_damage'] as const;
export type KnownSignalType = (typeof KNOWN_SIGNAL_TYPES)[number];


interface ModelInfo {
  date: string;
  type: string;
}

export interface SignalSpec {
  /** MOER and health damage come in 5-minute points, AOER in hourly points. */
  periodSeconds: number;
  /** `meta.units`, as WattTime documents each signal. */
  units: string;
  model: ModelInfo;
}

/**
 * MOER and AOER are in lbs CO2/MWh (WATTTIME.md). WattTime documents health damage in US dollars
 * per MWh (the value of a statistical life) without publishing its `meta.units` spelling; the
 * emulator spells it `usd_per_mwh`.
 */
export const SIGNAL_SPECS: Readonly<Record<KnownSignalType, SignalSpec>> = {
  co2_moer: { periodSeconds: 300, units: 'lbs_co2_per_mwh', model: { date: '2023-03-01', type: 'binned_regression' } },
  co2_aoer: { periodSeconds: 3600, units: 'lbs_co2_per_mwh', model: { date: '2022-10-01', type: 'average_emissions' } },
  health_damage: { periodSeconds: 300, units: 'usd_per_mwh', model: { date: '2023-06-01', type: 'health_damage' } },
};

/** `/v3/signal-index` is computed from the MOER and is always 5-minute, in percentiles. */
export const INDEX_UNITS = 'percentile';

export function isKnownSignalType(value: string): value is KnownSignalType {
  return (KNOWN_SIGNAL_TYPES as readonly string[]).includes(value);
}
