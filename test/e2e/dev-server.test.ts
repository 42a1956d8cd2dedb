import { InfluxDB } from '@influxdata/influxdb-client';
import { Client, Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { freePort } from '../../servers/free-port';
import type { ManagedProcess } from '../../servers/managed-process';
import { startWorkerProcess } from '../../servers/worker-process';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import { runClient } from '../../testing/client-command';
import { eventually } from '../support/prometheus';

// Worker process + client command + emulator + InfluxDB on the real dev server, in real time.
const regions = ['CAISO_NORTH', 'ERCOT_NORTHCENTRAL', 'PJM_DC'];
const tokenLifetimeSeconds = 20;
const runSeconds = 120;
const password = `e2e-password-${randomBytes(8).toString('hex')}`;
const fiveMinutes = 5 * 60_000;

let emulator: RunningEmulator;
let worker: ManagedProcess;
let env: NodeJS.ProcessEnv;
let temporal: Connection;
const workerLogs = [join(inject('logDir'), 'e2e-worker-1.log'), join(inject('logDir'), 'e2e-worker-2.log')];
const outputs: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    accounts: [{ username: 'e2e', password, regions: ['ERCOT_NORTHCENTRAL', 'PJM_DC'] }],
    tokenTtlSeconds: tokenLifetimeSeconds,
    // JWT-shaped so the worker learns the short lifetime from exp, as it would from a real JWT.
    tokenFormat: 'jwt',
  });
  env = {
    WATTTIME_USERNAME: 'e2e',
    WATTTIME_PASSWORD: password,
    WATTTIME_BASE_URL: emulator.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    INFLUXDB_URL: inject('influxUrl'),
    INFLUXDB_TOKEN: 'e2e:unchecked',
    INFLUXDB_ORG: 'e2e',
    INFLUXDB_BUCKET: inject('influxDatabase'),
    GRID_REGIONS: regions.join(','),
    FETCH_INTERVAL_SECONDS: '60',
    TOKEN_REFRESH_BUFFER_SECONDS: '5',
    HEALTH_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
  };
  temporal = await Connection.connect({ address: inject('temporalAddress') });
});

afterAll(async () => {
  await runClient(['stop'], env);
  await worker?.kill();
  await emulator?.close();
  await temporal?.close();
});

async function client(args: string[]): Promise<{ code: number; stdout: string }> {
  const result = await runClient(args, env);
  outputs.push(result.stdout, result.stderr);
  return result;
}

const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

interface StoredReading {
  _time: string;
  _value: number;
}

/**
 * Health and InfluxDB read as one snapshot: a new 5-minute period can land between the two reads,
 * so the pair counts only if health still shows the same last readings after InfluxDB was read.
 */
async function healthWithStoredReadings(): Promise<{ healths: RegionHealth[]; rowsByRegion: Map<string, StoredReading[]> }> {
  const influx = new InfluxDB({ url: inject('influxUrl'), token: 'e2e:unchecked' }).getQueryApi('e2e');
  const readHealth = async (): Promise<RegionHealth[]> => {
    const health = await client(['health', '--json', '--detail']);
    expect(health.code).toBe(0);
    return JSON.parse(health.stdout) as RegionHealth[];
  };
  const lastPointTimes = (healths: RegionHealth[]): string[] => healths.map((h) => `${h.region}@${h.lastReading?.pointTime}`);
  for (let attempt = 1; ; attempt++) {
    const healths = await readHealth();
    const rowsByRegion = new Map<string, StoredReading[]>();
    for (const h of healths) {
      rowsByRegion.set(
        h.region,
        await influx.collectRows<StoredReading>(
          `from(bucket: "${inject('influxDatabase')}") |> range(start: -1h)
            |> filter(fn: (r) => r._measurement == "carbon_intensity" and r.region == "${h.region}" and r._field == "moer_lbs_mwh")`,
        ),
      );
    }
    const after = await readHealth();
    if (lastPointTimes(after).join() === lastPointTimes(healths).join() || attempt === 3) return { healths, rowsByRegion };
  }
}

describe('end to end on the dev server', () => {
  it(`ingests ${regions.length} regions for ${runSeconds}s through a worker crash, with fresh tokens and nothing lost`, async () => {
    worker = await startWorkerProcess({ env, logFile: workerLogs[0]! });

    const refused = await client(['start', 'NOWHERE']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Refused: NOWHERE (co2_moer) is outside the WattTime plan of e2e; nothing started for it.');

    const started = await client(['start']);
    expect(started.code).toBe(0);
    for (const region of regions) expect(started.stdout).toContain(`Started carbon-intensity:${region} (every 60s).`);
    const startedAt = Date.now();

    const again = await client(['start']);
    for (const region of regions) expect(again.stdout).toContain(`carbon-intensity:${region} is already running; left unchanged.`);

    // Crash the worker halfway (no graceful shutdown) and start a fresh one without a token.
    await sleep(runSeconds * 500);
    await worker.kill();
    worker = await startWorkerProcess({ env, logFile: workerLogs[1]! });
    await sleep(Math.max(0, startedAt + runSeconds * 1000 - Date.now()));

    const { healths, rowsByRegion } = await healthWithStoredReadings();
    expect(healths.map((h) => h.region)).toEqual(regions);

    for (const h of healths) {
      expect(h.status).toBe('healthy');
      expect(h.failedFetches).toBe(0);
      expect(h.missedPeriods).toBe(0);
      expect(h.totalFetches).toBeGreaterThanOrEqual(2);
      expect(h.tokenRefreshCount).toBeGreaterThanOrEqual(5);

      const rows = rowsByRegion.get(h.region)!;
      const times = rows.map((row) => Date.parse(row._time));
      // Stamped with WattTime's point_time (5-minute periods), one point per period, no hole.
      for (const time of times) expect(time % fiveMinutes).toBe(0);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(fiveMinutes);
      const latest = rows.at(-1);
      expect(latest && { time: new Date(latest._time).toISOString(), moer: latest._value }).toEqual({
        time: new Date(h.lastReading!.pointTime).toISOString(),
        moer: h.lastReading!.value,
      });
    }

    const endpoint = await fetch(`http://127.0.0.1:${env['HEALTH_PORT']}/health`);
    expect(endpoint.status).toBe(200);
    expect(await endpoint.json()).toEqual({ ok: true, running: regions.length, notWorking: [] });
    const detailed = await fetch(`http://127.0.0.1:${env['HEALTH_PORT']}/health?detail=1`);
    expect(detailed.status).toBe(200);
    const body = (await detailed.json()) as { ok: boolean; regions: RegionHealth[] };
    expect(body.ok).toBe(true);
    expect(body.regions.map((r) => r.region)).toEqual(regions);
  });

  it('steers regions with the client command and reports them on /health and /metrics', async () => {
    const paused = await client(['pause', 'PJM_DC']);
    expect(paused.stdout.trim()).toBe('carbon-intensity:PJM_DC: paused.');
    const healthAt = async (path: string): Promise<{ status: number; reason?: string }> => {
      const answer = await fetch(`http://127.0.0.1:${env['HEALTH_PORT']}${path}`);
      return { status: answer.status, reason: ((await answer.json()) as { reason?: string }).reason };
    };
    // The per-region query answers at once; the status in Temporal's visibility store shortly after.
    expect(await healthAt('/health?detail=1')).toEqual({ status: 503, reason: 'PJM_DC is paused: paused by the operator' });
    await eventually('/health to report PJM_DC paused', async () => (await healthAt('/health')).status === 503, 10_000);
    expect(await healthAt('/health')).toEqual({ status: 503, reason: 'PJM_DC is paused' });
    const pausedSummary = await client(['health']);
    expect(pausedSummary.code).toBe(1);
    expect(pausedSummary.stdout).toMatch(/^3 region\(s\) running, 1 unhealthy or paused .*\n.*\n.*PJM_DC .* paused /s);
    const resumed = await client(['resume', 'PJM_DC']);
    expect(resumed.stdout.trim()).toBe('carbon-intensity:PJM_DC: healthy.');

    const refused = await client(['interval', 'PJM_DC', '30']);
    expect(refused.code).toBe(1);
    expect(refused.stdout.trim()).toBe('PJM_DC: interval unchanged: intervalSeconds must be between 60 and 3600, got 30');
    const changed = await client(['interval', 'PJM_DC', '120']);
    expect(changed.stdout).toMatch(/^PJM_DC: every 120s, next fetch \d{4}-\d\d-\d\dT/);

    const refreshed = await client(['refresh', 'CAISO_NORTH']);
    expect(refreshed.stdout).toMatch(/^CAISO_NORTH: token [0-9a-f]{12} valid until \d{4}-/);

    // `start` checks the plan with a static WATTTIME_API_TOKEN too, without logging in; a rejected
    // one, with no password to fall back on, is refused in one line naming the variable.
    const logins = emulator.control.counters().logins;
    const heldToken = emulator.control.issuedTokens().at(-1)!;
    const tokenOnly = { ...env, WATTTIME_PASSWORD: '', WATTTIME_API_TOKEN: heldToken };
    const viaToken = await runClient(['start', 'NOWHERE'], tokenOnly);
    outputs.push(viaToken.stdout, viaToken.stderr);
    expect(viaToken.stdout).toContain('Refused: NOWHERE (co2_moer) is outside the WattTime plan of e2e; nothing started for it.');
    expect(emulator.control.counters().logins).toBe(logins);
    const rejected = await runClient(['start', 'NOWHERE'], { ...tokenOnly, WATTTIME_API_TOKEN: 'no-longer-valid' });
    outputs.push(rejected.stdout, rejected.stderr);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr.trim()).toBe(
      'WattTime token cache: WattTime rejected WATTTIME_API_TOKEN of user "e2e"; set a fresh WATTTIME_API_TOKEN, or a WATTTIME_PASSWORD to log in with',
    );

    const listed = await client(['list']);
    for (const region of regions) expect(listed.stdout).toContain(`carbon-intensity:${region}  RUNNING`);

    const table = await client(['health', '--detail']);
    expect(table.code).toBe(0);
    for (const region of regions) expect(table.stdout).toContain(region);
    const summary = await client(['health']);
    expect(summary).toMatchObject({ code: 0, stdout: '3 region(s) running, all healthy or degraded; name regions or add --detail for readings and counters\n' });
    const lineWidths = table.stdout.trimEnd().split('\n').map((line) => line.length);
    expect(Math.max(...lineWidths)).toBeLessThanOrEqual(100);
    const wide = await client(['health', '--detail', '--wide']);
    expect(wide.code).toBe(0);
    const head = wide.stdout.split('\n')[1] ?? '';
    expect(head.split('│').slice(1, -1).map((cell) => cell.trim())).toHaveLength(13);
    expect(head).toContain('Token expires');

    const metrics = await fetch(`http://127.0.0.1:${env['METRICS_PORT']}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^temporal_\w+/m);
  });

  it('replays its histories and keeps the password and every issued token out of them, worker logs and command output', async () => {
    const basicAuth = Buffer.from(`e2e:${password}`).toString('base64');
    const secrets = [password, basicAuth, ...emulator.control.issuedTokens()];
    expect(secrets.length).toBeGreaterThan(regions.length);
    const temporalClient = new Client({ connection: temporal });
    const places: [string, string][] = [];
    for (const region of regions) {
      const history = await temporalClient.workflow.getHandle(regionWorkflowId(region)).fetchHistory();
      // This run's history, worker crash included, replays with the current workflow code.
      await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows/index.ts') }, history);
      const json = JSON.stringify(history);
      places.push([`history of ${region}`, json]);
      if (region === 'CAISO_NORTH') writeFileSync(join(inject('logDir'), 'e2e-history-CAISO_NORTH.json'), json);
    }
    for (const log of workerLogs) places.push([log, readFileSync(log, 'utf8')]);
    places.push(['client output', outputs.join('\n')]);
    for (const [place, text] of places) {
      expect(text.length, place).toBeGreaterThan(0);
      for (const secret of secrets) expect(text.includes(secret), `${place} contains a secret`).toBe(false);
    }
  });
});
