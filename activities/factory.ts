import { backfillRange } from './backfill-range';
import { fetchCurrent } from './fetch-current';
import type { InfluxCarbonIntensityWriter } from './influx-writer';
import { PlanAccess, type PlanScope } from './plan-access';
import { checkForecastHorizon, forecastCurve, readingsOf } from './reading';
import { toApplicationFailure } from './to-application-failure';
import type { RegionActivities, StoredReading } from './types';
import type { WattTimeClient } from './watttime/client';
import { TokenRejectedError } from './watttime/errors';
import type { WattTimeLogger } from './watttime/logger';
import type { AccountCredentials, HeldToken, TokenCache } from './watttime/token-cache';

export interface ActivityDependencies {
  /** One client per account, shared by every region (it holds the account's rate budgets). */
  readonly wattTime: WattTimeClient;
  /** Process-wide: one login per account serves every region. */
  readonly tokenCache: TokenCache;
  /** Without a password the token cache's static token (`WATTTIME_API_TOKEN`) is all there is. */
  readonly credentials: AccountCredentials;
  readonly writer: InfluxCarbonIntensityWriter;
  /** A pino logger fits; nothing logged here carries a password or a token. */
  readonly logger: WattTimeLogger;
}

/**
 * The region workflow's activities. Create them once per worker process: the plan-access cache
 * lives here. Every classified failure leaves as an `ApplicationFailure` whose type the workflow
 * branches on; retries are safe because every write is keyed by WattTime's `point_time`.
 */
export function createActivities(deps: ActivityDependencies): RegionActivities {
  const { wattTime, tokenCache, credentials, writer, logger } = deps;
  const { username } = credentials;
  const planAccess = new PlanAccess({ client: wattTime });

  /**
   * Runs a data call with the account's held token. No token held (e.g. after a worker restart)
   * fails like a 401, so the workflow refreshes. A rejected token is dropped so the next
   * ensureToken logs in, unless a newer token replaced it meanwhile.
   */
  async function withHeldToken<T>(scope: PlanScope, call: (held: HeldToken) => Promise<T>): Promise<T> {
    let heldToken: string | undefined;
    try {
      const held = tokenCache.current(username);
      heldToken = held.token;
      return await call(held);
    } catch (error) {
      if (error instanceof TokenRejectedError && heldToken !== undefined) {
        tokenCache.invalidate(username, heldToken);
        logger.info({ ...scope, requestId: error.requestId }, 'WattTime rejected the held token; dropped it');
      }
      throw toApplicationFailure(error);
    }
  }

  return {
    async ensureToken({ force, validUntilMs }) {
      try {
        // Only the expiry and the token id leave: the result is recorded in workflow history.
        const { expiresAtMs, tokenId, loggedIn } = await tokenCache.ensure(credentials, { force, validUntilMs });
        return { expiresAtMs, tokenId, loggedIn };
      } catch (error) {
        throw toApplicationFailure(error);
      }
    },

    async fetchAndStore({ region, signalType, forecastHorizonHours }) {
      return withHeldToken({ region, signalType }, async (held) => {
        checkForecastHorizon(forecastHorizonHours);
        const request = { username, token: held.token, region, signalType, horizonHours: forecastHorizonHours };
        const data = await fetchCurrent({ wattTime, planAccess, logger }, request);
        const { current, separateIndex } = readingsOf(data);
        await Promise.all([
          writer.writeCurrent(region, signalType, current),
          separateIndex && writer.writeCurrent(region, signalType, separateIndex),
          data.forecast &&
            writer.writeForecast(region, signalType, data.forecast.meta.generatedAt, forecastCurve(data.forecast, forecastHorizonHours)),
        ]);
        const forecastAvailable = data.forecast !== undefined;
        const warnings = (data.forecast?.meta.warnings.length ?? 0) + (data.index?.meta.warnings.length ?? 0);
        logger.info(
          { region, signalType, ...current, forecastAvailable, warnings, tokenId: held.tokenId },
          summaryLine(region, current, warnings),
        );
        return { reading: current, forecastAvailable, warnings };
      });
    },

    async backfill({ region, signalType, firstPointTime, lastPointTime }) {
      return withHeldToken({ region, signalType }, async (held) => {
        const range = { first: new Date(firstPointTime), last: new Date(lastPointTime) };
        const request = { username, token: held.token, region, signalType, ...range };
        const result = await backfillRange({ wattTime, planAccess, writer, logger }, request);
        logger.info(
          { region, signalType, firstPointTime, lastPointTime, ...result, tokenId: held.tokenId },
          result.planAllows
            ? `${region} backfilled ${result.storedPeriods} period(s) from ${firstPointTime} to ${lastPointTime}`
            : `${region}: the plan has no historical access; ${firstPointTime} to ${lastPointTime} stays missed`,
        );
        return result;
      });
    },
  };
}

/** One short line per fetch, fit for an activity summary: region, period and values, no secrets. */
function summaryLine(region: string, reading: StoredReading, warnings: number): string {
  const moer = reading.moerLbsMwh === null ? 'no forecast access' : `${reading.moerLbsMwh} lbs/MWh`;
  const index = reading.indexPercentile === null ? '' : `, index ${reading.indexPercentile}`;
  const warned = warnings === 0 ? '' : `, ${warnings} WattTime warning(s)`;
  return `${region} ${reading.pointTime}: ${moer}${index}${warned}`;
}
