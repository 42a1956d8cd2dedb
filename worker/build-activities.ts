import { InfluxDB } from '@influxdata/influxdb-client';
import type { Logger } from 'pino';
import { createCarbonAwareActivities } from '../activities/carbon-aware';
import type { CarbonAwareActivities } from '../activities/carbon-aware-types';
import { createActivities } from '../activities/factory';
import { InfluxCarbonIntensityWriter } from '../activities/influx-writer';
import type { RegionActivities } from '../activities/types';
import { WattTimeClient } from '../activities/watttime/client';
import { TokenCache } from '../activities/watttime/token-cache';
import type { WorkerSettings } from '../config/settings';

export interface BuiltActivities {
  readonly activities: RegionActivities & CarbonAwareActivities;
  /** Closes the WattTime connection pool and the InfluxDB writer. */
  close(): Promise<void>;
}

/**
 * One WattTime client, one token cache and one InfluxDB writer for the whole process: every
 * region workflow this worker serves shares the account's login and rate budget.
 */
export function buildActivities(settings: WorkerSettings, logger: Logger): BuiltActivities {
  const wattTime = new WattTimeClient({ baseUrl: settings.WATTTIME_BASE_URL, logger: logger.child({ component: 'watttime' }) });
  const username = settings.WATTTIME_USERNAME;
  const apiToken = settings.WATTTIME_API_TOKEN;
  const tokenCache = new TokenCache({
    client: wattTime,
    refreshBufferMs: settings.TOKEN_REFRESH_BUFFER_SECONDS * 1000,
    ...(apiToken === undefined ? {} : { staticToken: { username, token: apiToken } }),
  });
  const writer = new InfluxCarbonIntensityWriter({
    url: settings.INFLUXDB_URL,
    token: settings.INFLUXDB_TOKEN,
    org: settings.INFLUXDB_ORG,
    bucket: settings.INFLUXDB_BUCKET,
  });
  const activities = createActivities({
    wattTime,
    tokenCache,
    credentials: settings.WATTTIME_PASSWORD === undefined ? { username } : { username, password: settings.WATTTIME_PASSWORD },
    writer,
    logger: logger.child({ component: 'activities' }),
  });
  const queryApi = new InfluxDB({ url: settings.INFLUXDB_URL, token: settings.INFLUXDB_TOKEN }).getQueryApi(settings.INFLUXDB_ORG);
  return {
    activities: { ...activities, ...createCarbonAwareActivities({ queryApi, bucket: settings.INFLUXDB_BUCKET }) },
    close: async () => {
      await Promise.all([wattTime.close(), writer.close()]);
    },
  };
}
