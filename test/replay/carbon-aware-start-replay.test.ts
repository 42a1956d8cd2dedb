import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// Recorded by test/e2e/schedule-job.test.ts on the dev server: plan, a durable wait for the
// valley, then the job started as an abandoned child (see test/fixtures/histories/README.md).
const name = 'carbon-aware-start-dev-server.json';
const history = temporal.api.history.v1.History.fromObject(
  JSON.parse(readFileSync(join(__dirname, '../fixtures/histories', name), 'utf8')),
);
const { EventType, ParentClosePolicy } = temporal.api.enums.v1;

it('holds a carbon-aware start that waited for its window and started an abandoned child', () => {
  const events = history.events;
  expect(events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('carbonAwareStartWorkflow');
  const types = events.map((event) => event.eventType);
  expect(types.filter((type) => type === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)).toHaveLength(1);
  expect(types).toContain(EventType.EVENT_TYPE_TIMER_FIRED);
  const child = events.find((event) => event.startChildWorkflowExecutionInitiatedEventAttributes)?.startChildWorkflowExecutionInitiatedEventAttributes;
  expect(child?.parentClosePolicy).toBe(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON);
  expect(types.at(-1)).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
});

it('replays deterministically with the current workflow code', async () => {
  await expect(
    Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows/index.ts') }, history, name),
  ).resolves.toBeUndefined();
});
