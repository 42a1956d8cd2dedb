/** Signal types WattTime knows, and how the emulator serves the ones it has data for. */

/** Every signal type the API recognises; anything else is a bad parameter (400). */
const KNOWN_SIGNAL_TYPES = ['co2_moer', 'co2_aoer', 'health_damage'] as const;
export type KnownSignalType = (typeof KNOWN_SIGNAL_TYPES)[number];

/** Signal types with emulated data. `health_damage` is known but sold in no emulated plan. */
export type ServedSignalType = 'co2_moer' | 'co2_aoer';

interface ModelInfo {
  date: string;
  type: string;
}

export interface SignalSpec {
  /** MOER comes in 5-minute points, AOER in hourly points. */
  periodSeconds: number;
  units: string;
  model: ModelInfo;
}

export const SIGNAL_SPECS: Readonly<Record<ServedSignalType, SignalSpec>> = {
  co2_moer: { periodSeconds: 300, units: 'lbs_co2_per_mwh', model: { date: '2023-03-01', type: 'binned_regression' } },
  co2_aoer: { periodSeconds: 3600, units: 'lbs_co2_per_mwh', model: { date: '2022-10-01', type: 'average_emissions' } },
};

/** `/v3/signal-index` is computed from the MOER and is always 5-minute, in percentiles. */
export const INDEX_UNITS = 'percentile';

export function isKnownSignalType(value: string): value is KnownSignalType {
  return (KNOWN_SIGNAL_TYPES as readonly string[]).includes(value);
}

export function isServedSignalType(value: KnownSignalType): value is ServedSignalType {
  return value in SIGNAL_SPECS;
}
