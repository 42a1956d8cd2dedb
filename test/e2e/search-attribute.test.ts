/**
 * A namespace without the `CarbonRegion` search attribute, on the real dev server: the worker and
 * `start` register it, and where Temporal refuses (another type, a full namespace) each stops
 * with one line saying what to run, before any workflow exists to fail its tasks.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { projectRoot } from '../../servers/cache-dir';
import { freePort } from '../../servers/free-port';
import type { ManagedProcess } from '../../servers/managed-process';
import { startWorkerProcess } from '../../servers/worker-process';
import { regionWorkflowId } from '../../workflows/ids';
import { CARBON_REGION } from '../../workflows/search-attributes';
import { runClient } from '../../testing/client-command';
import { freshNamespace } from '../support/fresh-namespace';

const { IndexedValueType, EventType } = temporal.api.enums.v1;
const region = 'PJM_DC';
const workflowId = regionWorkflowId(region);

let connection: Connection;
let emulator: RunningEmulator;
let env: NodeJS.ProcessEnv;
let worker: ManagedProcess | undefined;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  emulator = await startEmulator({ port: 0, accounts: [{ username: 'attributes', password: 'attributes-password', regions: [region] }] });
  env = {
    WATTTIME_USERNAME: 'attributes',
    WATTTIME_PASSWORD: 'attributes-password',
    WATTTIME_BASE_URL: emulator.url,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    INFLUXDB_URL: inject('influxUrl'),
    INFLUXDB_TOKEN: 'attributes:unchecked',
    INFLUXDB_ORG: 'attributes',
    INFLUXDB_BUCKET: inject('influxDatabase'),
    FETCH_INTERVAL_SECONDS: '60',
    HEALTH_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
  };
});

afterAll(async () => {
  await worker?.kill();
  await emulator?.close();
  await connection?.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

async function customAttributes(namespace: string): Promise<Record<string, number>> {
  return (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
}

async function workflowCount(namespace: string): Promise<number> {
  return Number((await connection.workflowService.countWorkflowExecutions({ namespace })).count);
}

/** Runs `worker/main.ts` to its exit (it exits only when it cannot start), on ports of its own. */
async function failingWorker(namespace: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const ports = { HEALTH_PORT: String(await freePort()), METRICS_PORT: String(await freePort()) };
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'worker', 'main.ts')],
      { cwd: projectRoot, env: { PATH: process.env['PATH'], ...env, ...ports, TEMPORAL_NAMESPACE: namespace }, timeout: 60_000 },
      (error, stdout, stderr) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const createCommand = (namespace: string): string =>
  `temporal operator search-attribute create --namespace ${namespace} --name CarbonRegion --type Keyword`;

describe('where CarbonRegion is missing and Temporal allows adding it', () => {
  it('the worker registers it, and the workflows `start` starts there set it without a failed task', async () => {
    const namespace = await freshNamespace(connection, 'attributes');
    expect(await customAttributes(namespace)).not.toHaveProperty(CARBON_REGION.name);

    const logFile = join(inject('logDir'), `search-attribute-worker-${namespace}.log`);
    worker = await startWorkerProcess({ env: { ...env, TEMPORAL_NAMESPACE: namespace }, logFile });
    const registered = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"msg":"registered search attribute CarbonRegion (Keyword)"'));
    expect(registered).toHaveLength(1);
    expect(JSON.parse(registered[0]!)).toMatchObject({ namespace, searchAttribute: CARBON_REGION.name });
    expect((await customAttributes(namespace))[CARBON_REGION.name]).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

    const started = await runClient(['start', region], { ...env, TEMPORAL_NAMESPACE: namespace });
    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(started.stdout).toBe(`Started ${workflowId} (every 60s).\n`);

    // The Web UI's filter finds the workflow once its first task has upserted the attribute.
    const client = new Client({ connection, namespace });
    const query = `${CARBON_REGION.name} = "${region}"`;
    const deadline = Date.now() + 60_000;
    const found: string[] = [];
    while (found.length === 0 && Date.now() < deadline) {
      for await (const workflow of client.workflow.list({ query })) found.push(workflow.workflowId);
      if (found.length === 0) await sleep(500);
    }
    expect(found).toEqual([workflowId]);
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const eventTypes = (history.events ?? []).map((event) => event.eventType);
    expect(eventTypes).toContain(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
    expect(eventTypes).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    await client.workflow.getHandle(workflowId).terminate('test done');
    await worker.stop();
    worker = undefined;
  });

  it('`start` registers it too, says so, then starts the region', async () => {
    const namespace = await freshNamespace(connection, 'attributes');
    const started = await runClient(['start', region], { ...env, TEMPORAL_NAMESPACE: namespace });
    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(started.stdout).toBe(
      `Registered search attribute CarbonRegion (Keyword) in namespace ${namespace}.\nStarted ${workflowId} (every 60s).\n`,
    );
    expect((await customAttributes(namespace))[CARBON_REGION.name]).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

    const again = await runClient(['start', region], { ...env, TEMPORAL_NAMESPACE: namespace });
    expect(again.stdout).toBe(`${workflowId} is already running; left unchanged.\n`);
    await new Client({ connection, namespace }).workflow.getHandle(workflowId).terminate('test done');
  });
});

describe('where Temporal refuses to register CarbonRegion', () => {
  it('another type: `start` and the worker each stop with one line saying what to run, and nothing starts', async () => {
    const namespace = await freshNamespace(connection, 'attributes');
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: { [CARBON_REGION.name]: IndexedValueType.INDEXED_VALUE_TYPE_INT },
    });
    const line =
      `search attribute CarbonRegion is registered in namespace ${namespace} as Int, but region workflows set it as Keyword; ` +
      `remove it (temporal operator search-attribute remove --namespace ${namespace} --name CarbonRegion), ` +
      `then run: ${createCommand(namespace)}\n`;

    const logins = emulator.control.counters().logins;
    const started = await runClient(['start', region], { ...env, TEMPORAL_NAMESPACE: namespace });
    expect(started).toEqual({ code: 1, stdout: '', stderr: line });
    // It stopped before asking WattTime about the plan.
    expect(emulator.control.counters().logins).toBe(logins);
    const refused = await failingWorker(namespace);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(line);
    expect(await workflowCount(namespace)).toBe(0);
  });

  it('a namespace without room for another Keyword attribute: one line with the refusal and the command', async () => {
    const namespace = await freshNamespace(connection, 'attributes');
    // The dev server's SQL visibility holds 10 custom Keyword attributes per namespace.
    for (let slot = 1; slot <= 10; slot += 1) {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [`Other${slot}`]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
      });
    }
    const line =
      `search attribute CarbonRegion is not registered in namespace ${namespace} and Temporal refused to register it ` +
      `(INVALID_ARGUMENT: Unable to create search attributes: cannot have more than 10 search attribute of type Keyword.); ` +
      `run: ${createCommand(namespace)}\n`;

    const started = await runClient(['start', region], { ...env, TEMPORAL_NAMESPACE: namespace });
    expect(started).toEqual({ code: 1, stdout: '', stderr: line });
    const refused = await failingWorker(namespace);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(line);
    expect(await customAttributes(namespace)).not.toHaveProperty(CARBON_REGION.name);
    expect(await workflowCount(namespace)).toBe(0);
  });
});
