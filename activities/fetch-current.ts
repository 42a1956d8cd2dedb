import { forecastRequestHours, type CurrentData } from './reading';
import { OutOfPlanError, unlessOutOfPlan } from '../watttime/errors';
import type { WattTimeLogger } from '../watttime/logger';
import type { PlanScope } from '../watttime/plan-access';
import type { WattTimeSession } from '../watttime/session';

export interface CurrentSources {
  session: Pick<WattTimeSession, 'forecast' | 'signalIndex' | 'plan'>;
  logger: WattTimeLogger;
}

export interface CurrentRequest extends PlanScope {
  /** The configured forecast horizon; see `forecastRequestHours` for what is requested. */
  horizonHours: number;
}

/**
 * The current period from WattTime: `/v3/forecast` where the plan allows it and
 * `/v3/signal-index`, in parallel. One of them refused (403) is survivable: a forecast refused
 * although `/v3/my-access` listed it means the plan changed, so the cached plan is dropped and the
 * index is stored alone; an index refused (it exists for `co2_moer` only) leaves the forecast.
 * With neither, the region is outside the plan: a permanent `OutOfPlanError` naming it.
 */
export async function fetchCurrent(sources: CurrentSources, request: CurrentRequest): Promise<CurrentData> {
  const { session } = sources;
  const { region, signalType } = request;
  const scope = { region, signalType };
  const planHasForecast = await session.plan.hasForecast(scope);
  const [forecast, index] = await Promise.all([
    planHasForecast
      ? unlessOutOfPlan(session.forecast({ ...scope, horizonHours: forecastRequestHours(request.horizonHours) }))
      : undefined,
    unlessOutOfPlan(session.signalIndex(scope)),
  ]);
  if (forecast instanceof OutOfPlanError) {
    session.plan.forget();
    sources.logger.warn(
      { region, signalType, requestId: forecast.requestId },
      `forecast refused although /v3/my-access listed it; storing the index only: ${forecast.message}`,
    );
  }
  const usableForecast = forecast instanceof OutOfPlanError ? undefined : forecast;
  if (!(index instanceof OutOfPlanError)) {
    return usableForecast === undefined ? { forecast: undefined, index } : { forecast: usableForecast, index };
  }
  if (usableForecast === undefined) throw outsidePlan(index, scope);
  sources.logger.debug({ region, signalType, requestId: index.requestId }, 'signal index not in the plan; forecast only');
  return { forecast: usableForecast, index: undefined };
}

/** WattTime's own 403 text may not name the region; the operator needs it. */
function outsidePlan(refused: OutOfPlanError, scope: PlanScope): OutOfPlanError {
  return new OutOfPlanError({
    endpoint: refused.endpoint,
    status: refused.status,
    requestId: refused.requestId,
    detail: `region ${scope.region} (signal_type ${scope.signalType}) is outside this account's plan: neither its forecast nor its signal index may be read`,
  });
}
