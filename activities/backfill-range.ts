import type { InfluxCarbonIntensityWriter } from './influx-writer';
import type { SignalUnits } from './signal-units';
import type { BackfillResult } from './types';
import { OutOfPlanError, unlessOutOfPlan } from '../watttime/errors';
import type { WattTimeLogger } from '../watttime/logger';
import type { PlanScope } from '../watttime/plan-access';
import type { WattTimeSession } from '../watttime/session';

export interface BackfillSources {
  session: Pick<WattTimeSession, 'historical' | 'plan'>;
  writer: Pick<InfluxCarbonIntensityWriter, 'writeHistorical'>;
  units: SignalUnits;
  logger: WattTimeLogger;
}

export interface BackfillRequest extends PlanScope {
  /** Inclusive `point_time` range. */
  first: Date;
  last: Date;
}

/**
 * Stores the periods of [first, last] that `/v3/historical` has, as WattTime's final values with
 * its imputed marker (see `writeHistorical`): for gaps nobody fetched live, and to replace recent
 * live estimates. The answer's units are checked like every answer's (`SignalUnits`). A plan without historical
 * access for the region (free plans outside CAISO_NORTH) is no failure: nothing is asked and
 * the caller counts the range as missed. A 403 although `/v3/my-access` listed the endpoint means
 * the plan changed: the cached plan is dropped and the range is treated the same way.
 */
export async function backfillRange(sources: BackfillSources, request: BackfillRequest): Promise<BackfillResult> {
  const { session } = sources;
  const { region, signalType, first, last } = request;
  const scope = { region, signalType };
  const notInPlan: BackfillResult = { planAllows: false, storedPeriods: 0, lastStoredPointTime: null, warnings: 0 };
  if (!(await session.plan.hasHistorical(scope))) return notInPlan;
  const answer = await unlessOutOfPlan(session.historical({ ...scope, start: first, end: last, includeImputedMarker: true }));
  if (answer instanceof OutOfPlanError) {
    session.plan.forget();
    sources.logger.warn(
      { region, signalType, requestId: answer.requestId },
      `historical refused although /v3/my-access listed it; the range counts as missed: ${answer.message}`,
    );
    return notInPlan;
  }
  // The range is inclusive and on the grid; anything outside it is not ours to overwrite.
  const points = answer.data.filter((p) => p.pointTime >= first && p.pointTime <= last);
  if (points.length > 0) {
    sources.units.check(scope, answer.meta.units, '/v3/historical');
    await sources.writer.writeHistorical(region, signalType, answer.meta.units, points);
  }
  return {
    planAllows: true,
    storedPeriods: points.length,
    lastStoredPointTime: points.at(-1)?.pointTime.toISOString() ?? null,
    warnings: answer.meta.warnings.length,
  };
}
