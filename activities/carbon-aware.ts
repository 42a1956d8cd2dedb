import type { QueryApi } from '@influxdata/influxdb-client';
import { ApplicationFailure } from '@temporalio/common';
import { findGreenestWindow } from '../common/greenest-window';
import type { PlanGreenestWindowInput, PlanGreenestWindowResult } from './carbon-aware-types';
import { InfluxCarbonIntensityReader } from './influx-reader';
import { toApplicationFailure } from './factory';

/** `ApplicationFailure.type` of a planning request that can never succeed (e.g. a duration ≤ 0). */
export const INVALID_PLAN_REQUEST = 'InvalidGreenestWindowRequest';

export interface CarbonAwareDependencies {
  /** Flux query API of the InfluxDB the worker writes to. */
  readonly queryApi: QueryApi;
  /** The bucket it writes to (`INFLUXDB_BUCKET`). */
  readonly bucket: string;
}

/** The activity carbon-aware workflows schedule; workflows import this type only. */
export type CarbonAwareActivities = ReturnType<typeof createCarbonAwareActivities>;

/**
 * The activity behind `waitForGreenestWindow`: reads the newest stored forecast and finds its
 * greenest window for the workflow's job. It only reads; retrying it is always safe. An
 * unreachable InfluxDB fails as `InfluxDBUnavailable` (retried by the workflow's policy).
 */
export function createCarbonAwareActivities(deps: CarbonAwareDependencies) {
  const reader = new InfluxCarbonIntensityReader(deps);
  return {
    async planGreenestWindow({ region, signalType, durationMs, nowMs, latestStartMs }: PlanGreenestWindowInput): Promise<PlanGreenestWindowResult> {
      const curve = await reader.newestForecast(region, signalType, nowMs).catch((error: unknown) => {
        throw toApplicationFailure(error);
      });
      if (curve === null) {
        return { outcome: 'no-forecast', message: `no ${signalType} forecast is stored for ${region}` };
      }
      let answer;
      try {
        answer = findGreenestWindow(curve, { durationMs, nowMs, latestStartMs });
      } catch (error) {
        if (error instanceof RangeError) throw ApplicationFailure.nonRetryable(error.message, INVALID_PLAN_REQUEST);
        throw error;
      }
      return answer.found ? { outcome: 'window', window: answer.window } : { outcome: 'no-window', message: answer.message };
    },
  };
}
