/**
 * The bad-input table through the client command, as a user runs it, against a region a worker
 * process is running: each refusal is its exact one line with exit code 1, and nothing changed —
 * no workflow started, no login spent, the running region's health as it was. The worker's own
 * variables are refused in test/e2e/worker-config.test.ts.
 */
import { Client, Connection, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { freePort } from '../../servers/free-port';
import type { ManagedProcess } from '../../servers/managed-process';
import { startWorkerProcess } from '../../servers/worker-process';
import { healthQuery, setIntervalUpdate } from '../../workflows/definitions';
import type { RegionHealth } from '../../workflows/health';
import { regionWorkflowId } from '../../workflows/ids';
import {
  CLIENT_ARGUMENT_CASES,
  CLIENT_ONLY_VARIABLE_CASES,
  INTERVAL_UPDATE_CASES,
  SHARED_VARIABLE_CASES,
  spoiled,
  type VariableCase,
} from '../support/bad-input';
import { runClient } from '../../testing/client-command';
import { freshNamespace } from '../support/fresh-namespace';

/** The region the worker runs (hourly, so its health holds still during the test). */
const running = 'SPP_KANSAS';
/** A region in the plan that nothing may start. */
const idle = 'MISO_INDIANAPOLIS';
const password = `bad-input-${randomBytes(8).toString('hex')}`;
const bucket = `bad_input_${randomBytes(4).toString('hex')}`;

let emulator: RunningEmulator;
let worker: ManagedProcess;
let connection: Connection;
let temporal: Client;
let env: Record<string, string>;
let before: RegionHealth;
let loginsBefore: number;

const influxQuery = (q: string): Promise<Response> =>
  fetch(`${inject('influxUrl')}/query`, { method: 'POST', body: new URLSearchParams({ q }) });
const health = (): Promise<RegionHealth> => temporal.workflow.getHandle(regionWorkflowId(running)).query(healthQuery);
const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Whether Temporal knows a workflow with this id (running or not). */
async function exists(workflowId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, accounts: [{ username: 'bad-input', password, regions: [running, idle] }] });
  expect((await influxQuery(`CREATE DATABASE "${bucket}"`)).status).toBe(200);
  connection = await Connection.connect({ address: inject('temporalAddress') });
  // Its own namespace: other files on the shared dev server start workflows for the same regions.
  const namespace = await freshNamespace(connection, 'bad-input');
  env = {
    WATTTIME_USERNAME: 'bad-input',
    WATTTIME_PASSWORD: password,
    WATTTIME_BASE_URL: emulator.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: 'bad-input-e2e',
    INFLUXDB_URL: inject('influxUrl'),
    INFLUXDB_TOKEN: 'bad-input:unchecked',
    INFLUXDB_ORG: 'bad-input',
    INFLUXDB_BUCKET: bucket,
    FETCH_INTERVAL_SECONDS: '3600',
    HEALTH_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
  };
  temporal = new Client({ connection, namespace });
  worker = await startWorkerProcess({ env, logFile: join(inject('logDir'), 'bad-input-worker.log') });
  const started = await runClient(['start', running], env);
  expect(started.stdout).toBe(`Started ${regionWorkflowId(running)} (every 3600s).\n`);
  for (let i = 0; ; i++) {
    const answer = await health();
    if (answer.lastReading !== null && answer.fetchInProgress === null) break;
    if (i > 60) throw new Error(`${running} stored no reading within a minute`);
    await sleep(1_000);
  }
  before = await health();
  loginsBefore = emulator.control.counters().logins;
});

afterAll(async () => {
  await runClient(['stop', running], env);
  await worker?.kill();
  await emulator?.close();
  await connection?.close();
  await influxQuery(`DROP DATABASE "${bucket}"`);
});

describe('the client refuses bad input in one line and changes nothing', () => {
  it.concurrent.each(CLIENT_ARGUMENT_CASES.map((c): [string, (typeof CLIENT_ARGUMENT_CASES)[number]] => [JSON.stringify(c.args), c]))(
    'arguments %s',
    async (_args, badCase) => {
      const [command] = badCase.args;
      const args = badCase.args.map((arg) => (arg === 'REGION' ? (command === 'start' ? idle : running) : arg));
      const result = await runClient(args, env);
      expect(result.stderr).toBe(`${badCase.message}\n`);
      expect([result.code, result.stdout]).toEqual([1, '']);
    },
  );

  it.concurrent.each(
    [...SHARED_VARIABLE_CASES, ...CLIENT_ONLY_VARIABLE_CASES].map((c): [string, string, VariableCase] => [c.variable, JSON.stringify(c.value), c]),
  )('start with %s=%s', async (_variable, _value, badCase) => {
    const result = await runClient(['start', idle], spoiled(env, badCase));
    expect(result.stderr).toBe(`${badCase.message}\n`);
    expect([result.code, result.stdout]).toEqual([1, '']);
  });

  it('start with a TEMPORAL_ADDRESS that is no host:port', async () => {
    const result = await runClient(['start', idle], { ...env, TEMPORAL_ADDRESS: 'temporal:7233:1' });
    expect(result.stderr).toBe('TEMPORAL_ADDRESS must be host:port, like localhost:7233 or temporal.example.com:7233, got "temporal:7233:1"\n');
    expect(result.code).toBe(1);
  });

  it('interval with a value the workflow validator refuses: its reason, in one line', async () => {
    for (const { seconds, message } of INTERVAL_UPDATE_CASES.filter((c) => Number.isInteger(c.seconds) && c.seconds >= 0)) {
      const result = await runClient(['interval', running, String(seconds)], env);
      expect(result.stdout).toBe(`${running}: interval unchanged: ${message}\n`);
      expect([result.code, result.stderr]).toEqual([1, '']);
    }
  });

  it('the setInterval update with every refused value, from any Temporal client', async () => {
    const handle = temporal.workflow.getHandle(regionWorkflowId(running));
    for (const { seconds, message } of INTERVAL_UPDATE_CASES) {
      const refused = await handle.executeUpdate(setIntervalUpdate, { args: [seconds] }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((refused as WorkflowUpdateFailedError).cause?.message).toBe(message);
    }
  });

  it('after all of them: no workflow started, no login spent, the running region as it was', async () => {
    const ids = [idle, 'PJM DC', 'pjm_dc', '', 'PJM_DC\nCAISO_NORTH', 'pjm dc', 'x', 'Region', 'REGION-2'].map((region) => regionWorkflowId(region));
    for (const id of ids) expect(await exists(id), id).toBe(false);
    expect(emulator.control.counters().logins).toBe(loginsBefore);
    // The data's age grows with the clock at each of the workflow's steps (the refused updates
    // were steps); everything else is as it was.
    expect({ ...(await health()), dataAgeSeconds: 0 }).toEqual({ ...before, dataAgeSeconds: 0 });
  });

  it('keeps "outside the plan" for a well-formed region /v3/my-access does not list, such as NOT_A_REGION', async () => {
    const result = await runClient(['start', 'NOT_A_REGION'], env);
    expect(result.stdout).toBe('Refused: NOT_A_REGION (co2_moer) is outside the WattTime plan of bad-input; nothing started for it.\n');
    expect([result.code, result.stderr]).toEqual([1, '']);
    expect(await exists(regionWorkflowId('NOT_A_REGION'))).toBe(false);
    // Only WattTime can tell: asking it took a login.
    expect(emulator.control.counters().logins).toBe(loginsBefore + 1);
  });
});
