import type { WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { MOER_PERIOD_MS, periodsFor } from '../../common/moer-period';
import { carbonAwareStatusQuery, type CarbonAwareJobStatus } from '../../workflows/carbon-aware-definitions';
import type { CarbonAwareStartInput } from '../../workflows/carbon-aware-start';
import { isoSeconds } from '../../workflows/greenest-window-text';
import type { CommandContext, ExitCode } from './context';

/** How long the command waits for the workflow's first plan before leaving it to run. */
const PLAN_WAIT_MS = 15_000;

export interface ScheduleJobOptions {
  readonly region: string;
  /** The job's length, ms; rounded up to whole 5-minute periods. */
  readonly durationMs: number;
  /** The job must have finished by then, ms since epoch. */
  readonly deadlineMs: number;
  readonly workflowType: string;
  readonly taskQueue: string;
  readonly args: unknown[];
  /** The carbon-aware workflow's id; default `carbon-aware:<REGION>:<type>:<random>`. */
  readonly workflowId?: string;
}

/**
 * Starts `carbonAwareStartWorkflow` on the worker's task queue, which waits for the greenest
 * window before the deadline and then starts the named workflow (as an abandoned child, id
 * `<id>:job`). Prints the id and, once the workflow has planned, its plan.
 */
export async function scheduleJob(context: CommandContext, options: ScheduleJobOptions): Promise<ExitCode> {
  const { client, settings, out } = context;
  const minutes = (periodsFor(options.durationMs) * MOER_PERIOD_MS) / 60_000;
  const workflowId = options.workflowId ?? `carbon-aware:${options.region}:${options.workflowType}:${randomUUID().slice(0, 8)}`;
  const input: CarbonAwareStartInput = {
    region: options.region,
    duration: `${minutes}m`,
    deadline: new Date(options.deadlineMs).toISOString(),
    workflowType: options.workflowType,
    taskQueue: options.taskQueue,
    args: options.args,
    // Spelled out, so the history says which id the job gets.
    workflowId: `${workflowId}:job`,
  };
  const handle = await client.workflow.start('carbonAwareStartWorkflow', {
    workflowId,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    args: [input],
  });
  out(
    `Started ${workflowId}: ${options.workflowType} (task queue ${options.taskQueue}) runs ${minutes} minutes ` +
      `in the greenest window for ${options.region} before ${isoSeconds(options.deadlineMs)}.`,
  );
  const status = await firstPlan(context, handle);
  if (status === null) {
    out(`No plan yet after ${PLAN_WAIT_MS / 1000} s: is a worker running on task queue ${settings.TEMPORAL_TASK_QUEUE}? Query carbonAwareStatus later.`);
    return 1;
  }
  out(status.phase === 'waiting' ? `Plan: ${status.line}.` : `Decided: ${status.decision?.explanation ?? status.line}.`);
  return 0;
}

/** The workflow's status once it is past planning, or null when it is not within `PLAN_WAIT_MS`. */
async function firstPlan(context: CommandContext, handle: WorkflowHandle): Promise<CarbonAwareJobStatus | null> {
  const giveUpAt = Date.now() + PLAN_WAIT_MS;
  while (Date.now() < giveUpAt) {
    const status = await context.client
      .withDeadline(giveUpAt, () => handle.query(carbonAwareStatusQuery))
      .catch(() => null);
    if (status !== null && status.phase !== 'planning') return status;
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  return null;
}
