import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { sleepLoop } from '../fixtures/workflows/sleep-loop';

const day = 24 * 60 * 60 * 1000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
  });
});

afterAll(async () => {
  await env?.teardown();
});

it('runs one simulated day of 5-minute sleeps on the real time-skipping server', async () => {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'smoke-time-skipping',
    workflowsPath: require.resolve('../fixtures/workflows/sleep-loop.ts'),
  });
  const realStart = Date.now();
  const result = await worker.runUntil(
    env.client.workflow.execute(sleepLoop, {
      args: [288, 5 * 60 * 1000],
      workflowId: 'smoke-sleep-loop',
      taskQueue: 'smoke-time-skipping',
    }),
  );
  const realElapsed = Date.now() - realStart;
  expect(result.iterations).toBe(288);
  expect(result.elapsedMs).toBeGreaterThanOrEqual(day);
  // A real server skipped the waits: a simulated day passed in far less real time than a day.
  expect(realElapsed).toBeLessThan(day / 100);
});
