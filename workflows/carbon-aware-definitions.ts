/**
 * What `carbonAwareStartWorkflow` answers, shared with the client: its status query and the
 * shapes it returns.
 */
import { defineQuery } from '@temporalio/workflow';
import type { GreenestWindow } from '../common/greenest-window';
import type { GreenestWindowDecision } from './greenest-window-wait';

/** The job workflow once started (an abandoned child: it outlives this workflow). */
export interface StartedJob {
  readonly workflowType: string;
  readonly taskQueue: string;
  readonly workflowId: string;
  /** Run id of the first run. */
  readonly runId: string;
  /** Workflow time of the start, ISO-8601. */
  readonly startedAt: string;
}

export interface CarbonAwareJobStatus {
  /** `planning` the window, `waiting` for it, `starting` the job (decided), `started` it. */
  readonly phase: 'planning' | 'waiting' | 'starting' | 'started';
  /** The one line the Web UI shows as current details. */
  readonly line: string;
  /** The plan being followed, once there is one. */
  readonly window: GreenestWindow | null;
  /** While waiting: when the forecast is checked again (ISO-8601), or null when the window starts first. */
  readonly nextCheckAt: string | null;
  /** Set once the wait is over: when and why the job starts. */
  readonly decision: GreenestWindowDecision | null;
  readonly job: StartedJob | null;
}

export interface CarbonAwareStartResult {
  readonly decision: GreenestWindowDecision;
  readonly job: StartedJob;
}

export const carbonAwareStatusQuery = defineQuery<CarbonAwareJobStatus>('carbonAwareStatus');
