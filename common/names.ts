/**
 * Names shared by the worker, the client, the workflows and the WattTime client. Plain constants
 * only: this module is bundled into the workflow sandbox.
 */

/** The task queue of the workers and region workflows (`TEMPORAL_TASK_QUEUE` default). */
export const DEFAULT_TASK_QUEUE = 'carbon-intensity';

/** `WATTTIME_BASE_URL` default (WATTTIME.md, "Base URL and authentication"). */
export const DEFAULT_WATTTIME_BASE_URL = 'https://api.watttime.org';

/**
 * A WattTime balancing-authority region code as `/v3/my-access` spells it, e.g. `CAISO_NORTH`:
 * upper-case letters, digits and underscores.
 */
export const REGION_CODE_PATTERN = /^[A-Z0-9_]+$/;

/** A WattTime signal type as the API spells it, e.g. `co2_moer`. */
export const SIGNAL_TYPE_PATTERN = /^[a-z0-9_]+$/;

/** The signal types WattTime serves (WATTTIME.md, "Data endpoints"). */
export const SIGNAL_TYPES: readonly string[] = ['co2_moer', 'co2_aoer', 'health_damage'];

/** WattTime's marginal signal (MOER), the one the service exists for. */
export const DEFAULT_SIGNAL_TYPE = 'co2_moer';

/** WattTime's 5-minute data period (`co2_moer`), the grid fetches are aligned to. */
export const FIVE_MINUTE_PERIOD_SECONDS = 300;

/**
 * Seconds between data points per signal type (`meta.data_point_period_seconds`): `co2_aoer` is
 * hourly, the others every 5 minutes.
 */
export function dataPeriodSeconds(signalType: string): number {
  return signalType === 'co2_aoer' ? 3_600 : FIVE_MINUTE_PERIOD_SECONDS;
}
