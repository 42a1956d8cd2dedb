/**
 * `carbonAwareStartWorkflow`: makes any existing Temporal job carbon-aware without touching its
 * code. It waits for the greenest window (`waitForGreenestWindow`), then starts the workflow the
 * user named, by type, task queue and JSON arguments, as an abandoned child that outlives it.
 * It only ever starts a workflow: nothing in its input is run as a command.
 */
import { ApplicationFailure, ParentClosePolicy, setCurrentDetails, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { carbonAwareStatusQuery, type CarbonAwareJobStatus, type CarbonAwareStartResult } from './carbon-aware-definitions';
import { INVALID_CARBON_AWARE_INPUT, waitForGreenestWindow } from './greenest-window-wait';

export interface CarbonAwareStartInput {
  /** WattTime region whose stored forecast decides, e.g. `CAISO_NORTH`. */
  region: string;
  /** Default `co2_moer`. */
  signalType?: string;
  /** How long the job runs: `'90m'`, `'2h'` or ms; rounded up to whole 5-minute periods. */
  duration: Duration;
  /** The job must have finished by then, ISO-8601 (at most 7 days ahead). */
  deadline: string;
  /** The job: a workflow type registered by some worker… */
  workflowType: string;
  /** …on this task queue… */
  taskQueue: string;
  /** …started with these arguments (JSON values); default none. */
  args?: unknown[];
  /** The job's workflow id; default `<this workflow's id>:job`. */
  workflowId?: string;
}

function invalid(message: string): never {
  throw ApplicationFailure.nonRetryable(message, INVALID_CARBON_AWARE_INPUT);
}

function checkJob(input: CarbonAwareStartInput): void {
  const nonEmpty = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';
  if (!nonEmpty(input.workflowType)) invalid(`workflowType must name a workflow type, got ${JSON.stringify(input.workflowType)}`);
  if (!nonEmpty(input.taskQueue)) invalid(`taskQueue must name a task queue, got ${JSON.stringify(input.taskQueue)}`);
  if (input.args !== undefined && !Array.isArray(input.args)) invalid('args must be a JSON array of the workflow\'s arguments');
  if (input.workflowId !== undefined && !nonEmpty(input.workflowId)) invalid('workflowId must be a non-empty string when given');
}

/** Waits for the greenest window before the deadline, then starts the job; answers both. */
export async function carbonAwareStartWorkflow(input: CarbonAwareStartInput): Promise<CarbonAwareStartResult> {
  checkJob(input);
  let status: CarbonAwareJobStatus = {
    phase: 'planning',
    line: 'planning',
    window: null,
    nextCheckAt: null,
    decision: null,
    job: null,
  };
  setHandler(carbonAwareStatusQuery, () => status);

  const decision = await waitForGreenestWindow({
    region: input.region,
    signalType: input.signalType,
    duration: input.duration,
    deadline: input.deadline,
    onStatus: ({ phase, line, window, nextCheckAt, decision: decided }) => {
      status = { ...status, phase: phase === 'decided' ? 'starting' : phase, line, window, nextCheckAt, decision: decided };
    },
  });

  const workflowId = input.workflowId ?? `${workflowInfo().workflowId}:job`;
  const child = await startChild(input.workflowType, {
    workflowId,
    taskQueue: input.taskQueue,
    args: input.args ?? [],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  const job = {
    workflowType: input.workflowType,
    taskQueue: input.taskQueue,
    workflowId,
    runId: child.firstExecutionRunId,
    startedAt: new Date(Date.now()).toISOString(),
  };
  const line = `started ${job.workflowType} (${workflowId}) on ${job.taskQueue}: ${decision.explanation}`;
  status = { ...status, phase: 'started', line, nextCheckAt: null, job };
  setCurrentDetails(line);
  return { decision, job };
}
