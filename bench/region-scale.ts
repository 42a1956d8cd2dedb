/**
 * How the service scales with regions: for 1 and for 10 regions, the simulated hours ingested,
 * real seconds, fetches per real second, and WattTime logins against what the regions would need
 * if each logged in alone. Quote the ratios between rows; absolute numbers depend on the machine.
 */
import { healthQuery, stopSignal } from '../workflows/definitions';
import { regionWorkflowId } from '../workflows/ids';
import { HOUR_MS, startRegionHarness, type HarnessServers } from '../testing/region-harness';

const REGIONS = ['CAISO_NORTH', 'PJM_DC', 'ERCOT_NORTHCENTRAL', 'MISO_INDIANAPOLIS', 'SPP_KANSAS', 'NYISO_NYC', 'ISONE_WCMA', 'BPA', 'DE', 'GB'];
const SIMULATED_HOURS = 6;
const BUFFER_SECONDS = 300;
/** A region alone logs in at start and then every 30 min − buffer − 5 s slack (see token-policy). */
const SOLO_LOGINS = 1 + Math.floor((SIMULATED_HOURS * HOUR_MS) / ((1800 - BUFFER_SECONDS - 5) * 1000));

interface Row {
  regions: number;
  realSeconds: number;
  fetches: number;
  logins: number;
}

async function measure(regionCount: number, servers: HarnessServers): Promise<Row> {
  const regions = REGIONS.slice(0, regionCount);
  const harness = await startRegionHarness({
    region: regions[0] ?? 'CAISO_NORTH',
    moreRegions: regions.slice(1),
    taskQueue: `bench-${regionCount}`,
    servers,
  });
  try {
    const client = harness.env.client;
    const started = Date.now();
    for (const region of regions) {
      await client.workflow.start('regionWorkflow', {
        workflowId: regionWorkflowId(region),
        taskQueue: harness.taskQueue,
        args: [{ region, intervalSeconds: 300, tokenRefreshBufferSeconds: BUFFER_SECONDS }],
      });
    }
    await harness.env.sleep(SIMULATED_HOURS * HOUR_MS);
    const realSeconds = (Date.now() - started) / 1000;
    const logins = harness.emulator.control.counters().logins;
    // Read every region before stopping any: waiting for a result lets the test server skip time.
    const handles = regions.map((region) => client.workflow.getHandle(regionWorkflowId(region)));
    let fetches = 0;
    for (const health of await Promise.all(handles.map((handle) => handle.query(healthQuery)))) {
      if (health.failedFetches > 0) throw new Error(`${health.region}: ${health.failedFetches} failed fetches in the benchmark`);
      fetches += health.totalFetches;
    }
    for (const handle of handles) {
      await handle.signal(stopSignal);
      await handle.result();
    }
    return { regions: regionCount, realSeconds, fetches, logins };
  } finally {
    await harness.close();
  }
}

/** Runs 1 and then 10 regions and returns the report. */
export async function regionScaleReport(servers: HarnessServers): Promise<string> {
  const rows = [await measure(1, servers), await measure(REGIONS.length, servers)];
  const lines = [
    `Region workflows, ${SIMULATED_HOURS} simulated hours each, 5-minute interval, 30-minute tokens, ${BUFFER_SECONDS}s buffer`,
    'regions  real s  fetches  fetches/real s  logins  logins if each region logged in alone',
  ];
  for (const row of rows) {
    lines.push(
      `${String(row.regions).padStart(7)}  ${row.realSeconds.toFixed(1).padStart(6)}  ${String(row.fetches).padStart(7)}  ` +
        `${(row.fetches / row.realSeconds).toFixed(1).padStart(14)}  ${String(row.logins).padStart(6)}  ${row.regions * SOLO_LOGINS}`,
    );
  }
  const [one, many] = rows as [Row, Row];
  lines.push(
    `throughput ${many.regions} vs 1 region: ${((many.fetches / many.realSeconds) / (one.fetches / one.realSeconds)).toFixed(2)}x; ` +
      `logins ${many.regions} regions / 1 region: ${(many.logins / one.logins).toFixed(2)}x (single-flight shared login)`,
  );
  return lines.join('\n');
}
