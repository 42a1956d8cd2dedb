import { ApplicationFailure } from '@temporalio/common';
import { nonRetryableFailureTypes } from '../common/failure-types';
import { unitsLabel } from '../common/units-label';
import { backfillRange } from './backfill-range';
import { fetchCurrent } from './fetch-current';
import type { InfluxCarbonIntensityWriter } from './influx-writer';
import { checkForecastHorizon, forecastCurve, readingsOf, type CurrentData } from './reading';
import { SignalUnits } from './signal-units';
import { StorageRejectedError, StorageUnavailableError, type StorageError } from './storage-errors';
import type {
  BackfillInput,
  BackfillResult,
  EnsureTokenInput,
  EnsureTokenResult,
  FetchAndStoreInput,
  FetchAndStoreResult,
  StoreHeldInput,
  StoreHeldResult,
  StoredReading,
} from './types';
import { RateLimitedError, WattTimeError } from '../watttime/errors';
import type { WattTimeLogger } from '../watttime/logger';
import type { WattTimeSession } from '../watttime/session';

export interface ActivityDependencies {
  /** The account's one session, shared by every region: its login, rate budgets and plan cache. */
  readonly session: WattTimeSession;
  readonly writer: InfluxCarbonIntensityWriter;
  /** A pino logger fits; nothing logged here carries a password or a token. */
  readonly logger: WattTimeLogger;
}

/** The activities a region workflow schedules; workflows import this type only. */
export type RegionActivities = ReturnType<typeof createActivities>;

/**
 * The region workflow's activities. Create them once per worker process: the session's caches
 * live as long as they do. Every classified failure leaves as an `ApplicationFailure` whose type
 * the workflow branches on; retries are safe because every write is keyed by WattTime's
 * `point_time`.
 */
export function createActivities(deps: ActivityDependencies) {
  const { session, writer, logger } = deps;
  const units = new SignalUnits();

  return {
    /**
     * A token valid until `validUntilMs`, shared by every region of the account. Only the expiry
     * and the token id leave: the result is recorded in workflow history.
     */
    async ensureToken({ force, validUntilMs, rejectedTokenId }: EnsureTokenInput): Promise<EnsureTokenResult> {
      try {
        const { expiresAtMs, tokenId, loggedIn } = await session.ensureToken({ force, validUntilMs, rejectedTokenId });
        return { expiresAtMs, tokenId, loggedIn };
      } catch (error) {
        throw toApplicationFailure(error);
      }
    },

    /**
     * The current period (forecast's first point and index) and the forecast curve, stored in
     * InfluxDB. When WattTime answered but InfluxDB did not take the reading, the activity still
     * succeeds: the result says so (`notStored`) and carries the readings for the workflow to hold,
     * so a storage failure never fetches again. The forecast curve is not held: the next fetch
     * brings a newer one.
     */
    async fetchAndStore({ region, signalType, forecastHorizonHours }: FetchAndStoreInput): Promise<FetchAndStoreResult> {
      try {
        checkForecastHorizon(forecastHorizonHours);
        const scope = { region, signalType };
        const data = await fetchCurrent({ session, logger }, { ...scope, horizonHours: forecastHorizonHours });
        checkUnits(units, scope, data);
        const { current, separateIndex } = readingsOf(data);
        const readings = separateIndex === undefined ? [current] : [separateIndex, current];
        const [stored, curve] = await Promise.allSettled([
          writer.writeReadings(region, signalType, readings),
          data.forecast &&
            writer.writeForecast(region, signalType, data.forecast.meta.units, data.forecast.meta.generatedAt, forecastCurve(data.forecast, forecastHorizonHours)),
        ]);
        const forecastAvailable = data.forecast !== undefined;
        const warnings = (data.forecast?.meta.warnings.length ?? 0) + (data.index?.meta.warnings.length ?? 0);
        if (curve.status === 'rejected') {
          const failure = storageFailureOf(curve.reason);
          logger.warn({ region, signalType, failure }, `${region}: forecast curve not stored: ${failure.message}`);
        }
        if (stored.status === 'rejected') {
          const failure = storageFailureOf(stored.reason);
          logger.warn({ region, signalType, ...current, failure }, `${summaryLine(region, current, warnings)}; not stored, held by the workflow: ${failure.message}`);
          return { reading: current, forecastAvailable, warnings, notStored: { failure, readings } };
        }
        logger.info({ region, signalType, ...current, forecastAvailable, warnings }, summaryLine(region, current, warnings));
        return { reading: current, forecastAvailable, warnings };
      } catch (error) {
        throw toApplicationFailure(error);
      }
    },

    /**
     * Writes readings the workflow held while InfluxDB refused them, in one request. Rewriting a
     * period already stored is harmless (same `point_time`), so a retry after a partial success is too.
     */
    async storeHeld({ region, signalType, readings }: StoreHeldInput): Promise<StoreHeldResult> {
      try {
        await writer.writeReadings(region, signalType, readings);
        logger.info({ region, signalType, readings: readings.length }, `${region}: stored ${readings.length} held reading(s) from ${readings[0]?.pointTime ?? '-'}`);
        return { storedReadings: readings.length };
      } catch (error) {
        throw toApplicationFailure(error);
      }
    },

    /** Stores the periods of an inclusive `point_time` range (≤ 10 days) from `/v3/historical`. */
    async backfill({ region, signalType, firstPointTime, lastPointTime }: BackfillInput): Promise<BackfillResult> {
      try {
        const range = { first: new Date(firstPointTime), last: new Date(lastPointTime) };
        const result = await backfillRange({ session, writer, units, logger }, { region, signalType, ...range });
        logger.info(
          { region, signalType, firstPointTime, lastPointTime, ...result },
          result.planAllows
            ? `${region} backfilled ${result.storedPeriods} period(s) from ${firstPointTime} to ${lastPointTime}`
            : `${region}: the plan has no historical access; ${firstPointTime} to ${lastPointTime} stays missed`,
        );
        return result;
      } catch (error) {
        throw toApplicationFailure(error);
      }
    },
  };
}

/** The errors activities turn into typed failures the workflow branches on. */
export type ClassifiedError = WattTimeError | StorageError;

/**
 * The `ApplicationFailure` Temporal records for a classified error: `type` is its kind, retry
 * per `nonRetryableFailureTypes`, and a `Retry-After` (WattTime's 429, InfluxDB's 429 / 503) as
 * the next retry delay. The message
 * is the error's own, which the WattTime client and the writer keep free of passwords and
 * tokens; no cause is attached, so nothing else reaches history. Any other error is returned
 * unchanged, for Temporal to report as it is.
 */
export function toApplicationFailure(error: ClassifiedError): ApplicationFailure;
export function toApplicationFailure(error: unknown): unknown;
export function toApplicationFailure(error: unknown): unknown {
  if (!(error instanceof WattTimeError || isStorageError(error))) return error;
  return ApplicationFailure.create({
    message: error.message,
    type: error.kind,
    nonRetryable: nonRetryableFailureTypes.includes(error.kind),
    nextRetryDelay: error instanceof RateLimitedError || error instanceof StorageUnavailableError ? error.retryAfterMs : undefined,
  });
}

function isStorageError(error: unknown): error is StorageError {
  return error instanceof StorageUnavailableError || error instanceof StorageRejectedError;
}

/** A failed write as the workflow records it; anything unclassified (a closed writer) is rethrown. */
function storageFailureOf(error: unknown): { type: string; message: string } {
  if (!isStorageError(error)) throw error;
  return { type: error.kind, message: error.message };
}

/** Every answer's `meta.units` (see `SignalUnits`), before anything is stored. */
function checkUnits(units: SignalUnits, scope: { region: string; signalType: string }, data: CurrentData): void {
  if (data.forecast !== undefined) units.check(scope, data.forecast.meta.units, '/v3/forecast');
  if (data.index !== undefined) units.checkIndex(data.index.meta.units);
}

/** One short line per fetch, fit for an activity summary: region, period and values, no secrets. */
function summaryLine(region: string, reading: StoredReading, warnings: number): string {
  const value = reading.value === null ? 'no forecast access' : `${reading.value} ${unitsLabel(reading.units)}`;
  const index = reading.indexPercentile === null ? '' : `, index ${reading.indexPercentile}`;
  const warned = warnings === 0 ? '' : `, ${warnings} WattTime warning(s)`;
  return `${region} ${reading.pointTime}: ${value}${index}${warned}`;
}

