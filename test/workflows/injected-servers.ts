import { inject } from 'vitest';
import type { HarnessServers } from '../../testing/region-harness';

/** The servers the vitest global setup started, for `startRegionHarness`. */
export function injectedServers(): HarnessServers {
  return {
    influxUrl: inject('influxUrl'),
    influxDatabase: inject('influxDatabase'),
    temporalTestServerPath: inject('temporalTestServerPath'),
  };
}
