import { Client, Connection } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { freePort } from '../../servers/free-port';
import type { ManagedProcess } from '../../servers/managed-process';
import { startWorkerProcess } from '../../servers/worker-process';
import { healthQuery } from '../../workflows/definitions';
import { statusLine, type RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { runClient } from '../../testing/client-command';
import { HeadlessChromium } from '../support/headless-chromium';

// What a user sees in the Temporal Web UI of the dev server for a running region, read in headless
// Chromium: the worker process, the client command, the emulator and InfluxDB are all real.
const region = 'NYISO_NYC';
const workflowId = regionWorkflowId(region);
// A task queue of its own, so the other e2e test's worker never runs this region (nor ours its).
const taskQueue = 'web-ui-e2e';
const webUi = inject('temporalWebUiUrl');
const errorPage = /We are having technical difficulties retrieving this Workflow|This is not the Workflow you are looking for/;
/** The UI renders in seconds, but a loaded 2-core machine can take many. */
const pageTimeoutMs = 60_000;
/** The workflow page describes the workflow again every 10 s while it runs; a failure shows the error page. */
const autoRefreshMs = 10_000;

let emulator: RunningEmulator;
let worker: ManagedProcess;
let env: NodeJS.ProcessEnv;
let temporal: Connection;
let browser: HeadlessChromium;
/** The run's page as the filtered list links it, e.g. `/namespaces/default/workflows/<id>/<run>/timeline`. */
let runPage: string;

const screenshot = (name: string): Promise<void> => browser.screenshot(join(inject('logDir'), `web-ui-${name}.png`));

async function health(): Promise<RegionHealth> {
  return new Client({ connection: temporal }).workflow.getHandle(workflowId).query(healthQuery);
}

beforeAll(async () => {
  const password = `web-ui-password-${randomBytes(8).toString('hex')}`;
  emulator = await startEmulator({ port: 0, accounts: [{ username: 'web-ui', password, regions: [region] }] });
  env = {
    WATTTIME_USERNAME: 'web-ui',
    WATTTIME_PASSWORD: password,
    WATTTIME_BASE_URL: emulator.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    INFLUXDB_URL: inject('influxUrl'),
    INFLUXDB_TOKEN: 'web-ui:unchecked',
    INFLUXDB_ORG: 'web-ui',
    INFLUXDB_BUCKET: inject('influxDatabase'),
    GRID_REGIONS: region,
    FETCH_INTERVAL_SECONDS: '60',
    HEALTH_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
  };
  temporal = await Connection.connect({ address: inject('temporalAddress') });
  worker = await startWorkerProcess({ env, logFile: join(inject('logDir'), 'web-ui-worker.log') });
  const started = await runClient(['start'], env);
  expect(started.stdout.trim()).toBe(`Started ${workflowId} (every 60s).`);
  // The workflow fetches at once; wait for that first reading (and its status line).
  const deadline = Date.now() + 60_000;
  while ((await health()).lastReading === null) {
    if (Date.now() > deadline) throw new Error(`${workflowId} has no reading after 60s; see web-ui-worker.log`);
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 500));
  }
  browser = await HeadlessChromium.start({ executable: inject('chromiumPath'), logFile: join(inject('logDir'), 'web-ui-chromium.log') });
});

afterAll(async () => {
  await browser?.close();
  if (env) await runClient(['stop'], env);
  await worker?.kill();
  await emulator?.close();
  await temporal?.close();
});

describe('the Temporal Web UI of a running region', () => {
  it(`lists ${workflowId}, and only it, filtered by CarbonRegion = "${region}"`, async () => {
    // Running only: other tests on the shared dev server have used this region before and stopped it.
    const query = `CarbonRegion = "${region}" AND ExecutionStatus = "Running"`;
    await browser.open(`${webUi}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
    const row = await browser.waitForText(new RegExp(`${workflowId}\\s+[0-9a-f-]{36}\\s+regionWorkflow`), pageTimeoutMs);
    // The count comes from a request of its own, which may answer after the rows.
    await browser.waitForText(/\b1\s+Workflow\b/, pageTimeoutMs);
    expect(await browser.text()).toContain(`CarbonRegion = "${region}"`);
    await screenshot('list');

    const links = await browser.evaluate<string[]>(
      `[...new Set(Array.from(document.querySelectorAll('a[href*="/workflows/"]'), (a) => a.getAttribute('href')))]`,
    );
    const runId = /[0-9a-f-]{36}/.exec(row)![0];
    runPage = `/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/timeline`;
    expect(links).toContain(runPage);
  });

  it('shows the region on its workflow page with labelled activities, through an auto-refresh', async () => {
    const openedAt = Date.now();
    await browser.open(`${webUi}${runPage}`);
    await browser.waitForText(new RegExp(`RUNNING\\s+${workflowId}`), pageTimeoutMs, errorPage);
    await browser.waitForText(new RegExp(`fetchAndStore • fetch ${region} co2_moer`), pageTimeoutMs, errorPage);
    await browser.waitForText(new RegExp(`ensureToken • token refresh for ${region}`), pageTimeoutMs, errorPage);
    await screenshot('workflow');

    // Still the same page once the UI has described the workflow again.
    await new Promise((resolveSleep) => setTimeout(resolveSleep, Math.max(0, openedAt + autoRefreshMs + 2_000 - Date.now())));
    await browser.waitForText(new RegExp(`fetch ${region} co2_moer`), pageTimeoutMs, errorPage);
  });

  it("shows the workflow's one-line status under User Metadata, as the health query reports it", async () => {
    const before = await health();
    await browser.open(`${webUi}${runPage.replace(/\/timeline$/, '/user-metadata')}`);
    await browser.waitForText(/Current Details/, pageTimeoutMs, errorPage);
    const line = await browser.waitForText(/\b(?:healthy|degraded|unhealthy|paused) · [^\n]+/, pageTimeoutMs, errorPage);
    const after = await health();
    await screenshot('status');
    expect(line).toMatch(/^healthy · \d+(\.\d+)? lbs\/MWh @ \d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z · next \d\d:\d\d:\d\dZ$/);
    // A fetch may land while the page loads: the line is the status before or after it.
    expect([statusLine(before), statusLine(after)]).toContain(line);
  });
});
