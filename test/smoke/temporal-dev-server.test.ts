import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { sleepLoop } from '../fixtures/workflows/sleep-loop';

let connection: Connection;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
});

afterAll(async () => {
  await connection?.close();
  await nativeConnection?.close();
});

it('runs a workflow on the real dev server and finds it with the client', async () => {
  const client = new Client({ connection });
  const taskQueue = `smoke-dev-${Date.now()}`;
  const workflowId = `smoke-sleep-loop-${Date.now()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../fixtures/workflows/sleep-loop.ts'),
  });
  const result = await worker.runUntil(
    client.workflow.execute(sleepLoop, { args: [3, 50], workflowId, taskQueue }),
  );
  expect(result).toMatchObject({ iterations: 3 });
  expect(result.elapsedMs).toBeGreaterThanOrEqual(150);

  const description = await client.workflow.getHandle(workflowId).describe();
  expect(description.status.name).toBe('COMPLETED');
  expect(description.type).toBe('sleepLoop');
  expect(description.taskQueue).toBe(taskQueue);
});
