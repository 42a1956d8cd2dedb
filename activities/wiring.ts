import { InfluxDB } from '@influxdata/influxdb-client';
import { createCarbonAwareActivities, type CarbonAwareActivities } from './carbon-aware';
import { createActivities, type RegionActivities } from './factory';
import { InfluxCarbonIntensityWriter, type InfluxWriterOptions } from './influx-writer';
import { noActivityMetrics, type ActivityMetrics } from './meter-metrics';
import { silentLogger, type WattTimeLogger } from '../watttime/logger';
import { WattTimeSession, type WattTimeAccount } from '../watttime/session';

export interface ActivityWiringOptions {
  readonly account: WattTimeAccount;
  /** `WATTTIME_BASE_URL`, or the emulator's URL in tests. */
  readonly wattTimeBaseUrl?: string;
  readonly influx: InfluxWriterOptions;
  readonly logger?: WattTimeLogger;
  /**
   * Where WattTime requests, logins and InfluxDB write failures are counted: the worker passes
   * `meterActivityMetrics(Runtime.instance().metricMeter)`, a test its own recorder; default none.
   */
  readonly metrics?: ActivityMetrics;
  /** The clock of token lifetimes, plan cache and rate budgets; tests pass a simulated one. */
  readonly now?: () => number;
  /**
   * `WATTTIME_CALLS_PER_5_MINUTES`: the account's data-call budget per rolling 5 minutes, shared
   * by every region of the process; default WattTime's 3,000. A benchmark raises it together with
   * the emulator's (`dataCallsPer5Minutes`) to measure the worker rather than the budget.
   */
  readonly wattTimeCallsPer5Minutes?: number;
}

export interface WiredActivities {
  /** The region workflow's activities and the carbon-aware planner, which reads the same bucket. */
  readonly activities: RegionActivities & CarbonAwareActivities;
  /** The account's session, for callers that need it beside the activities (tests, the benchmark). */
  readonly session: WattTimeSession;
  readonly writer: InfluxCarbonIntensityWriter;
  /** Closes the WattTime connection pool and waits for InfluxDB writes under way. */
  close(): Promise<void>;
}

/**
 * The one wiring of the activities, used by the worker, the tests and the benchmark: one
 * WattTime session and one InfluxDB writer for the whole process, so every region workflow the
 * process serves shares the account's login, rate budget and plan cache.
 */
export function wireActivities(options: ActivityWiringOptions): WiredActivities {
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? noActivityMetrics;
  const session = new WattTimeSession({
    account: options.account,
    baseUrl: options.wattTimeBaseUrl,
    logger,
    metrics,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.wattTimeCallsPer5Minutes === undefined ? {} : { callsPer5Minutes: options.wattTimeCallsPer5Minutes }),
  });
  const writer = new InfluxCarbonIntensityWriter(options.influx, metrics);
  const { url, token, org, bucket } = options.influx;
  const queryApi = new InfluxDB({ url, token }).getQueryApi(org);
  return {
    activities: { ...createActivities({ session, writer, logger }), ...createCarbonAwareActivities({ queryApi, bucket }) },
    session,
    writer,
    close: async () => {
      await Promise.all([session.close(), writer.close()]);
    },
  };
}
