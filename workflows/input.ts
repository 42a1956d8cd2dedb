/** What starts a region workflow, its defaults, and the checks that refuse a bad start. */
import { ApplicationFailure } from '@temporalio/workflow';
import { DEFAULT_SIGNAL_TYPE } from './ids';
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
}

export const DEFAULT_INTERVAL_SECONDS = 300;
export const DEFAULT_TOKEN_REFRESH_BUFFER_SECONDS = 300;
export const DEFAULT_FORECAST_HORIZON_HOURS = 24;
/**
 * WattTime tokens live 30 minutes: a buffer that long would mean a login before every fetch.
 * (The workflow cannot know the real lifetime; whatever it is, a buffer that leaves no time
 * between login and refresh window only means the fetch logs in each time — a token obtained
 * inside its window is not refreshed between fetches, see `proactiveRefreshAtMs`.)
 */
const TOKEN_LIFETIME_SECONDS = 1800;
const MAX_FORECAST_HORIZON_HOURS = 72;

/** `ApplicationFailure.type` of a start refused for bad input (the workflow fails at once). */
export const INVALID_INPUT_FAILURE = 'InvalidRegionWorkflowInput';

function invalid(message: string): never {
  throw ApplicationFailure.nonRetryable(message, INVALID_INPUT_FAILURE);
}

export function resolveInput(input: RegionWorkflowInput): RegionConfig {
  const config: RegionConfig = {
    region: input.region,
    signalType: input.signalType ?? DEFAULT_SIGNAL_TYPE,
    intervalSeconds: input.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS,
    tokenRefreshBufferMs: (input.tokenRefreshBufferSeconds ?? DEFAULT_TOKEN_REFRESH_BUFFER_SECONDS) * 1000,
    forecastHorizonHours: input.forecastHorizonHours ?? DEFAULT_FORECAST_HORIZON_HOURS,
  };
  if (typeof config.region !== 'string' || !/^[A-Za-z0-9_]+$/.test(config.region)) {
    invalid(`region must be a WattTime region abbreviation such as CAISO_NORTH, got ${JSON.stringify(config.region)}`);
  }
  if (typeof config.signalType !== 'string' || !/^[a-z0-9_]+$/.test(config.signalType)) {
    invalid(`signalType must be a WattTime signal type such as co2_moer, got ${JSON.stringify(config.signalType)}`);
  }
  const intervalError = intervalProblem(config.intervalSeconds);
  if (intervalError !== undefined) invalid(intervalError);
  const bufferSeconds = config.tokenRefreshBufferMs / 1000;
  if (!Number.isInteger(bufferSeconds) || bufferSeconds < 0 || bufferSeconds >= TOKEN_LIFETIME_SECONDS) {
    invalid(`tokenRefreshBufferSeconds must be a whole number from 0 to ${TOKEN_LIFETIME_SECONDS - 1}, got ${bufferSeconds}`);
  }
  const horizon = config.forecastHorizonHours;
  if (!Number.isInteger(horizon) || horizon < 0 || horizon > MAX_FORECAST_HORIZON_HOURS) {
    invalid(`forecastHorizonHours must be a whole number from 0 to ${MAX_FORECAST_HORIZON_HOURS}, got ${horizon}`);
  }
  return config;
}
