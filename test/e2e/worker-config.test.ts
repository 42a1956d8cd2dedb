/**
 * The worker process refusing to start: every bad variable (the bad-input table), and every
 * start-up problem about Temporal or its ports, each as one line on stderr naming the variable,
 * exit code 1 and nothing started (no log line on stdout).
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { projectRoot } from '../../servers/cache-dir';
import { freePort } from '../../servers/free-port';
import { spoiled, VALID_WORKER_ENV, WORKER_VARIABLE_CASES, type VariableCase } from '../support/bad-input';

interface WorkerRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts `worker/main.ts` with exactly `env` (plus PATH) and returns its exit code and output. */
function startWorker(env: Record<string, string | undefined>): Promise<WorkerRun> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'worker', 'main.ts')],
      { cwd: projectRoot, env: { PATH: process.env['PATH'], ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Holds a port the way another program would, so the worker finds it in use. */
async function occupiedPort(): Promise<{ port: number; server: Server }> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(port, resolveListen));
  return { port, server };
}

const occupied: Server[] = [];
let ports: { health: string; metrics: string };

beforeAll(async () => {
  ports = { health: String(await freePort()), metrics: String(await freePort()) };
});

afterAll(async () => {
  await Promise.all(occupied.map((server) => new Promise((resolveClose) => server.close(resolveClose))));
});

describe('bad variables', () => {
  it.concurrent.each(WORKER_VARIABLE_CASES.map((c): [string, string, VariableCase] => [c.variable, JSON.stringify(c.value ?? null), c]))(
    'the worker refuses %s=%s with one line and no stack trace, and starts nothing',
    async (_variable, _value, badCase) => {
      const run = await startWorker(spoiled({ ...VALID_WORKER_ENV, HEALTH_PORT: ports.health, METRICS_PORT: ports.metrics }, badCase));
      expect(run.stderr).toBe(`${badCase.message}\n`);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
    },
  );
});

describe('Temporal and ports at start-up', () => {
  /** A valid environment against the shared dev server, on a task queue no other test polls, with ports of its own. */
  const reachable = async (): Promise<Record<string, string>> => ({
    ...VALID_WORKER_ENV,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: 'worker-config-e2e',
    HEALTH_PORT: String(await freePort()),
    METRICS_PORT: String(await freePort()),
  });

  it.concurrent('an address nothing listens on: cannot reach Temporal, naming TEMPORAL_ADDRESS', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const run = await startWorker({ ...(await reachable()), TEMPORAL_ADDRESS: address });
    expect(run.stderr).toBe(`cannot reach Temporal at ${address} (connection refused); check TEMPORAL_ADDRESS\n`);
    expect([run.code, run.stdout]).toEqual([1, '']);
  });

  it.concurrent('a host name that does not resolve: cannot reach Temporal, naming TEMPORAL_ADDRESS', async () => {
    const run = await startWorker({ ...(await reachable()), TEMPORAL_ADDRESS: 'temporal.invalid:7233' });
    expect(run.stderr).toBe('cannot reach Temporal at temporal.invalid:7233 (host name not found); check TEMPORAL_ADDRESS\n');
    expect([run.code, run.stdout]).toEqual([1, '']);
  });

  it.concurrent('a namespace the server does not have: one line naming TEMPORAL_NAMESPACE, no protobuf', async () => {
    const run = await startWorker({ ...(await reachable()), TEMPORAL_NAMESPACE: 'no-such-namespace' });
    expect(run.stderr).toBe(`Temporal at ${inject('temporalAddress')} has no namespace "no-such-namespace"; check TEMPORAL_NAMESPACE\n`);
    expect([run.code, run.stdout]).toEqual([1, '']);
  });

  it.concurrent('a METRICS_PORT in use: one line naming the port and the variable', async () => {
    const { port, server } = await occupiedPort();
    occupied.push(server);
    const run = await startWorker({ ...(await reachable()), METRICS_PORT: String(port) });
    expect(run.stderr).toBe(`cannot serve metrics on METRICS_PORT ${port} (address already in use); set METRICS_PORT to a free port\n`);
    expect([run.code, run.stdout]).toEqual([1, '']);
  });

  it.concurrent('a HEALTH_PORT in use: one line naming the port and the variable, and the worker never starts', async () => {
    const { port, server } = await occupiedPort();
    occupied.push(server);
    const run = await startWorker({ ...(await reachable()), HEALTH_PORT: String(port) });
    expect(run.stderr).toBe(`cannot serve /health on HEALTH_PORT ${port} (address already in use); set HEALTH_PORT to a free port\n`);
    expect(run.code).toBe(1);
    // It got as far as bundling the workflows (logged as JSON), not to polling.
    expect(run.stdout).not.toContain('worker started');
    for (const line of run.stdout.split('\n').filter((l) => l !== '')) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});
