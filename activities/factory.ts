import { ApplicationFailure } from '@temporalio/common';
import { nonRetryableFailureTypes } from '../common/failure-types';
import { backfillRange } from './backfill-range';
import { fetchCurrent } from './fetch-current';
import { StorageUnavailableError, type InfluxCarbonIntensityWriter } from './influx-writer';
import { checkForecastHorizon, forecastCurve, readingsOf } from './reading';
import type {
  BackfillInput,
  BackfillResult,
  EnsureTokenInput,
  EnsureTokenResult,
  FetchAndStoreInput,
  FetchAndStoreResult,
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

    /** The current period (forecast's first point and index) and the forecast curve, stored in InfluxDB. */
    async fetchAndStore({ region, signalType, forecastHorizonHours }: FetchAndStoreInput): Promise<FetchAndStoreResult> {
      try {
        checkForecastHorizon(forecastHorizonHours);
        const request = { region, signalType, horizonHours: forecastHorizonHours };
        const data = await fetchCurrent({ session, logger }, request);
        const { current, separateIndex } = readingsOf(data);
        await Promise.all([
          writer.writeCurrent(region, signalType, current),
          separateIndex && writer.writeCurrent(region, signalType, separateIndex),
          data.forecast &&
            writer.writeForecast(region, signalType, data.forecast.meta.generatedAt, forecastCurve(data.forecast, forecastHorizonHours)),
        ]);
        const forecastAvailable = data.forecast !== undefined;
        const warnings = (data.forecast?.meta.warnings.length ?? 0) + (data.index?.meta.warnings.length ?? 0);
        logger.info({ region, signalType, ...current, forecastAvailable, warnings }, summaryLine(region, current, warnings));
        return { reading: current, forecastAvailable, warnings };
      } catch (error) {
        throw toApplicationFailure(error);
      }
    },

    /** Stores the periods of an inclusive `point_time` range (≤ 10 days) from `/v3/historical`. */
    async backfill({ region, signalType, firstPointTime, lastPointTime }: BackfillInput): Promise<BackfillResult> {
      try {
        const range = { first: new Date(firstPointTime), last: new Date(lastPointTime) };
        const result = await backfillRange({ session, writer, logger }, { region, signalType, ...range });
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
export type ClassifiedError = WattTimeError | StorageUnavailableError;

/**
 * The `ApplicationFailure` Temporal records for a classified error: `type` is its kind, retry
 * per `nonRetryableFailureTypes`, and a 429's `Retry-After` as the next retry delay. The message
 * is the error's own, which the WattTime client and the writer keep free of passwords and
 * tokens; no cause is attached, so nothing else reaches history. Any other error is returned
 * unchanged, for Temporal to report as it is.
 */
export function toApplicationFailure(error: ClassifiedError): ApplicationFailure;
export function toApplicationFailure(error: unknown): unknown;
export function toApplicationFailure(error: unknown): unknown {
  if (!(error instanceof WattTimeError || error instanceof StorageUnavailableError)) return error;
  return ApplicationFailure.create({
    message: error.message,
    type: error.kind,
    nonRetryable: nonRetryableFailureTypes.includes(error.kind),
    nextRetryDelay: error instanceof RateLimitedError ? error.retryAfterMs : undefined,
  });
}

/** One short line per fetch, fit for an activity summary: region, period and values, no secrets. */
function summaryLine(region: string, reading: StoredReading, warnings: number): string {
  const value = reading.moerLbsMwh === null ? 'no forecast access' : `${reading.moerLbsMwh} lbs/MWh`;
  const index = reading.indexPercentile === null ? '' : `, index ${reading.indexPercentile}`;
  const warned = warnings === 0 ? '' : `, ${warnings} WattTime warning(s)`;
  return `${region} ${reading.pointTime}: ${value}${index}${warned}`;
}
