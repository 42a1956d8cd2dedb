import type { InfluxCarbonIntensityWriter } from './influx-writer';
import type { PlanAccess, PlanScope } from './plan-access';
import type { BackfillResult } from './types';
import { unlessOutOfPlan } from './unless-out-of-plan';
import type { WattTimeClient } from './watttime/client';
import { OutOfPlanError } from './watttime/errors';
import type { WattTimeLogger } from './watttime/logger';

export interface BackfillSources {
  wattTime: Pick<WattTimeClient, 'historical'>;
  planAccess: PlanAccess;
  writer: Pick<InfluxCarbonIntensityWriter, 'writeHistorical'>;
  logger: WattTimeLogger;
}

export interface BackfillRequest extends PlanScope {
  username: string;
  token: string;
  /** Inclusive `point_time` range. */
  first: Date;
  last: Date;
}

/**
 * Stores the periods of [first, last] that `/v3/historical` has. A plan without historical
 * access for the region (free plans outside CAISO_NORTH) is no failure: nothing is asked and
 * the caller counts the range as missed. A 403 although `/v3/my-access` listed the endpoint means
 * the plan changed: the cached plan is dropped and the range is treated the same way.
 */
export async function backfillRange(sources: BackfillSources, request: BackfillRequest): Promise<BackfillResult> {
  const { username, token, region, signalType, first, last } = request;
  const scope = { region, signalType };
  const notInPlan: BackfillResult = { planAllows: false, storedPeriods: 0, lastStoredPointTime: null, warnings: 0 };
  if (!(await sources.planAccess.hasHistorical(username, token, scope))) return notInPlan;
  const answer = await unlessOutOfPlan(sources.wattTime.historical(token, { ...scope, start: first, end: last }));
  if (answer instanceof OutOfPlanError) {
    sources.planAccess.forget(username);
    sources.logger.warn(
      { region, signalType, requestId: answer.requestId },
      `historical refused although /v3/my-access listed it; the range counts as missed: ${answer.message}`,
    );
    return notInPlan;
  }
  // The range is inclusive and on the grid; anything outside it is not ours to overwrite.
  const points = answer.data.filter((p) => p.pointTime >= first && p.pointTime <= last);
  if (points.length > 0) await sources.writer.writeHistorical(region, signalType, points);
  return {
    planAllows: true,
    storedPeriods: points.length,
    lastStoredPointTime: points.at(-1)?.pointTime.toISOString() ?? null,
    warnings: answer.meta.warnings.length,
  };
}
