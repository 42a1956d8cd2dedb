/**
 * Deterministic, plausible signal values. Pure functions of (region, time) so tests anywhere in
 * the project can compute exactly what the emulator answers. No Math.random: per-period
 * variation comes from a hash of region and period.
 */

import type { KnownSignalType } from './signals';

const MOER_PERIOD_MS = 300_000;
const AOER_PERIOD_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Largest per-period deviation from the smooth daily curve, lbs/MWh. */
const NOISE_LBS = 12;
/** A published point is considered updated this long after its period starts. */
const PUBLICATION_DELAY_MS = 60_000;

interface RegionProfile {
  /** Daily mean, lbs/MWh (870–1000). */
  mean: number;
  /** First-harmonic amplitude, lbs/MWh (100–200); a second harmonic adds 20 % of it. */
  amplitude: number;
  /** UTC hour of the daily peak. */
  peakHour: number;
}

/** FNV-1a 32-bit hash mapped to [0, 1). */
function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x1_0000_0000;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

// Derived from the region name so any region string has a stable, distinct curve; the ranges
// keep every value between 600 and 1300 lbs/MWh.
function profileOf(region: string): RegionProfile {
  return {
    mean: 870 + 130 * unitHash(`${region}|mean`),
    amplitude: 100 + 100 * unitHash(`${region}|amplitude`),
    peakHour: 24 * unitHash(`${region}|peak`),
  };
}

/** The smooth daily curve (no noise, not rounded) at `ms`. */
function dailyCurve(profile: RegionProfile, ms: number): number {
  const angle = (2 * Math.PI * ((ms % DAY_MS) / 3_600_000 - profile.peakHour)) / 24;
  return profile.mean + profile.amplitude * (Math.cos(angle) + 0.2 * Math.cos(2 * angle));
}

/** MOER (lbs CO2/MWh) of the 5-minute period containing `pointTimeMs`, rounded to 0.1. */
export function moerAt(region: string, pointTimeMs: number): number {
  const period = Math.floor(pointTimeMs / MOER_PERIOD_MS);
  const noise = (2 * unitHash(`${region}|${period}`) - 1) * NOISE_LBS;
  return round1(dailyCurve(profileOf(region), period * MOER_PERIOD_MS) + noise);
}

/** AOER (lbs CO2/MWh) of the hour containing `pointTimeMs`: the curve at mid-hour, scaled down. */
export function aoerAt(region: string, pointTimeMs: number): number {
  const hour = Math.floor(pointTimeMs / AOER_PERIOD_MS);
  return round1(0.7 * dailyCurve(profileOf(region), hour * AOER_PERIOD_MS + AOER_PERIOD_MS / 2));
}

/**
 * Health damage (US dollars per MWh) of the 5-minute period containing `pointTimeMs`: follows the
 * MOER, as the marginal generator's air pollution does, rounded to 0.1.
 */
export function healthDamageAt(region: string, pointTimeMs: number): number {
  return round1(0.035 * moerAt(region, pointTimeMs));
}

/** The value of `signalType` at `pointTimeMs`, in its own units (see `SIGNAL_SPECS`). */
export function signalValueAt(region: string, signalType: KnownSignalType, pointTimeMs: number): number {
  switch (signalType) {
    case 'co2_moer':
      return moerAt(region, pointTimeMs);
    case 'co2_aoer':
      return aoerAt(region, pointTimeMs);
    case 'health_damage':
      return healthDamageAt(region, pointTimeMs);
  }
}

/** Signal index (0–100, whole percent): where the period's MOER sits in the region's range. */
export function indexAt(region: string, pointTimeMs: number): number {
  const profile = profileOf(region);
  const halfRange = 1.2 * profile.amplitude + NOISE_LBS;
  const fraction = (moerAt(region, pointTimeMs) - (profile.mean - halfRange)) / (2 * halfRange);
  return Math.min(100, Math.max(0, Math.round(fraction * 100)));
}

/**
 * Forecast value for `pointTimeMs` made at `generatedAtMs`. The point for the generation period
 * itself is the actual value; later points add a deterministic bias that grows with lead time
 * (up to ±20 lbs/MWh at a day ahead), as a real forecast drifts from what happens.
 */
export function forecastValueAt(
  region: string,
  generatedAtMs: number,
  pointTimeMs: number,
  signalType: KnownSignalType = 'co2_moer',
): number {
  const actual = signalValueAt(region, signalType, pointTimeMs);
  const leadMs = pointTimeMs - generatedAtMs;
  if (leadMs <= 0) return actual;
  const scale = 5 + 15 * Math.min(1, leadMs / DAY_MS);
  const bias = (2 * unitHash(`${region}|${signalType}|${generatedAtMs}|${pointTimeMs}`) - 1) * scale;
  return round1(Math.max(0, actual + bias));
}

/**
 * `last_updated` of a historical point: shortly after its period starts, but never later than
 * the current time (whole seconds), since nothing can have been updated in the future.
 */
export function lastUpdatedAt(pointTimeMs: number, nowMs: number): number {
  return Math.min(pointTimeMs + PUBLICATION_DELAY_MS, Math.floor(nowMs / 1000) * 1000);
}
