/** What starts a region workflow, its defaults, and the checks that refuse a bad start. */
import { ApplicationFailure } from '@temporalio/workflow';
import { FETCH_INTERVAL_SECONDS, FETCH_WINDOW_SECONDS, FORECAST_HORIZON_HOURS, TOKEN_REFRESH_BUFFER_SECONDS } from '../common/limits';
import { DEFAULT_SIGNAL_TYPE, REGION_CODE_PATTERN, SIGNAL_TYPE_PATTERN } from '../common/names';
import { fetchOffsetMs } from './fetch-offset';
import { intervalProblem } from './schedule';
import type { RegionState } from './state';

export interface RegionWorkflowInput {
  /** WattTime region abbreviation, e.g. `CAISO_NORTH`. */
  region: string;
  /** Default `co2_moer`. */
  signalType?: string;
  /** Seconds between fetches, 60–3600, default 300. A `setInterval` change is carried in `carried`. */
  intervalSeconds?: number;
  /** Refresh the token when it expires within this many seconds; default 300. */
  tokenRefreshBufferSeconds?: number;
  /** Forecast hours to store, 0–72, default 24. */
  forecastHorizonHours?: number;
  /**
   * Seconds, 0–240, over which aligned fetches spread after the publication offset; the region's
   * own offset in it comes from its workflow id (fetch-offset.ts). `start` passes
   * `FETCH_WINDOW_SECONDS` (default 120). Absent — workflows started before the window existed —
   * means 0: they keep fetching 30 s after the boundary, and their recorded histories replay as
   * they ran. Continue-as-new carries the input, so the window and offset stay the same.
   */
  fetchWindowSeconds?: number;
  /** Set by continue-as-new only: the previous run's state, which wins over the fields above. */
  carried?: RegionState;
}

/** The input with defaults applied and checked. */
export interface RegionConfig {
  readonly region: string;
  readonly signalType: string;
  readonly intervalSeconds: number;
  readonly tokenRefreshBufferMs: number;
  readonly forecastHorizonHours: number;
  readonly fetchWindowSeconds: number;
  /** This region's offset in the fetch window, ms (see `fetchOffsetMs`). */
  readonly fetchOffsetMs: number;
}

/** `ApplicationFailure.type` of a start refused for bad input (the workflow fails at once). */
export const INVALID_INPUT_FAILURE = 'InvalidRegionWorkflowInput';

function invalid(message: string): never {
  throw ApplicationFailure.nonRetryable(message, INVALID_INPUT_FAILURE);
}

/**
 * The input with its defaults, checked.
 *
 * @throws ApplicationFailure (`InvalidRegionWorkflowInput`, non-retryable) naming the bad field.
 */
export function resolveInput(input: RegionWorkflowInput): RegionConfig {
  const config = {
    region: input.region,
    signalType: input.signalType ?? DEFAULT_SIGNAL_TYPE,
    intervalSeconds: input.intervalSeconds ?? FETCH_INTERVAL_SECONDS.default,
    tokenRefreshBufferMs: (input.tokenRefreshBufferSeconds ?? TOKEN_REFRESH_BUFFER_SECONDS.default) * 1000,
    forecastHorizonHours: input.forecastHorizonHours ?? FORECAST_HORIZON_HOURS.default,
    fetchWindowSeconds: input.fetchWindowSeconds ?? 0,
  };
  if (typeof config.region !== 'string' || !REGION_CODE_PATTERN.test(config.region)) {
    invalid(`region must be a WattTime region abbreviation such as CAISO_NORTH, got ${JSON.stringify(config.region)}`);
  }
  if (typeof config.signalType !== 'string' || !SIGNAL_TYPE_PATTERN.test(config.signalType)) {
    invalid(`signalType must be a WattTime signal type such as co2_moer, got ${JSON.stringify(config.signalType)}`);
  }
  const intervalError = intervalProblem(config.intervalSeconds);
  if (intervalError !== undefined) invalid(intervalError);
  const bufferSeconds = config.tokenRefreshBufferMs / 1000;
  const buffer = TOKEN_REFRESH_BUFFER_SECONDS;
  if (!Number.isInteger(bufferSeconds) || bufferSeconds < buffer.min || bufferSeconds > buffer.max) {
    invalid(`tokenRefreshBufferSeconds must be a whole number from ${buffer.min} to ${buffer.max}, got ${bufferSeconds}`);
  }
  const horizon = config.forecastHorizonHours;
  const horizons = FORECAST_HORIZON_HOURS;
  if (!Number.isInteger(horizon) || horizon < horizons.min || horizon > horizons.max) {
    invalid(`forecastHorizonHours must be a whole number from ${horizons.min} to ${horizons.max}, got ${horizon}`);
  }
  const window = config.fetchWindowSeconds;
  const windows = FETCH_WINDOW_SECONDS;
  if (!Number.isInteger(window) || window < windows.min || window > windows.max) {
    invalid(`fetchWindowSeconds must be a whole number from ${windows.min} to ${windows.max}, got ${window}`);
  }
  return { ...config, fetchOffsetMs: fetchOffsetMs(config.region, config.signalType, window) };
}
