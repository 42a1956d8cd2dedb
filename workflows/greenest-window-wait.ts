/**
 * `waitForGreenestWindow`: a helper any Temporal workflow can call to run its job in the cleanest
 * hours before a deadline. It asks an activity for the greenest window of the newest stored MOER
 * forecast, sleeps durably until the window starts, and plans again when a newer forecast has
 * arrived meanwhile. Deterministic: every decision rests on workflow time and recorded results.
 */
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  setCurrentDetails,
  sleep,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { CarbonAwareActivities } from '../activities/carbon-aware';
import type { PlanGreenestWindowResult } from '../activities/carbon-aware-types';
import type { GreenestWindow } from '../common/greenest-window';
import { MOER_PERIOD_MS, moerPeriodStart, periodsFor } from '../common/moer-period';
import { decisionExplanation, isoSeconds, waitingLine } from './greenest-window-text';
import { DEFAULT_SIGNAL_TYPE } from '../common/names';

/**
 * While waiting, the newest forecast is checked this often (and once more is never needed: the
 * window's start ends the wait). Each check costs about ten history events, so a wait of the
 * longest allowed span adds at most ~3,400.
 */
export const REPLAN_INTERVAL_MS = 30 * 60_000;

/** The deadline may be at most this far ahead, which bounds the history of a wait. */
export const MAX_WAIT_MS = 7 * 24 * 3_600_000;

/** `ApplicationFailure.type` of a call with a bad region, duration or deadline (non-retryable). */
export const INVALID_CARBON_AWARE_INPUT = 'InvalidCarbonAwareInput';

export interface GreenestWindowWaitOptions {
  /** WattTime region whose stored forecast decides, e.g. `CAISO_NORTH`. */
  readonly region: string;
  /** Default `co2_moer`. */
  readonly signalType?: string;
  /** How long the job runs: a Temporal duration (`'90m'`, `'2h'`) or ms; rounded up to whole 5-minute periods. */
  readonly duration: Duration;
  /** The job must have finished by then: a `Date`, ISO-8601 text or ms since epoch, at most 7 days ahead. */
  readonly deadline: Date | string | number;
  /** Called at each step (planning, waiting, decided), e.g. to answer a query. */
  readonly onStatus?: (status: GreenestWindowWaitStatus) => void;
  /** Show each step in the Web UI's current details (`setCurrentDetails`); default true. */
  readonly showInWebUi?: boolean;
}

/**
 * Why the job starts when it does. `greenest-window`: at the start of the greenest window (now,
 * when that is the current period). The others start at once: `no-choice` (the deadline leaves
 * at most the current period), `no-forecast` (none stored for the region), `no-window` (the
 * newest forecast covers no whole window before the deadline), `planning-failed` (the activity
 * failed after its retries, e.g. InfluxDB unreachable).
 */
export type StartReason = 'greenest-window' | 'no-choice' | 'no-forecast' | 'no-window' | 'planning-failed';

/** What the helper decided and why; recorded in history as the workflow's own data. */
export interface GreenestWindowDecision {
  readonly region: string;
  readonly signalType: string;
  readonly reason: StartReason;
  /** One line for people. */
  readonly explanation: string;
  /** When the helper returned, i.e. when the job starts (workflow time, ISO-8601). */
  readonly startAt: string;
  /** ISO-8601. */
  readonly deadline: string;
  /** The job's length in whole 5-minute periods, in minutes. */
  readonly durationMinutes: number;
  /** The plan followed (from the newest forecast seen), or null when there was none. */
  readonly window: GreenestWindow | null;
  /** Times the planning activity was asked: the first plan and every 30-minute check. */
  readonly plansAsked: number;
  /** Forecasts planned on: the first, plus each newer one that replaced it before the start. */
  readonly forecastsUsed: number;
}

export interface GreenestWindowWaitStatus {
  readonly phase: 'planning' | 'waiting' | 'decided';
  /** The one line shown in the Web UI. */
  readonly line: string;
  /** The plan being followed, once there is one. */
  readonly window: GreenestWindow | null;
  /** While waiting: when the forecast is checked next (ISO-8601), or null when the window starts first. */
  readonly nextCheckAt: string | null;
  readonly decision: GreenestWindowDecision | null;
}

/** The options with defaults applied and checked. */
interface WaitRequest {
  readonly region: string;
  readonly signalType: string;
  /** Whole periods, ms. */
  readonly durationMs: number;
  readonly deadlineMs: number;
}

/** It only reads InfluxDB: a few quick retries, about half a minute, then the plan so far stands. */
const PLAN_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
};

/**
 * Waits until the greenest window for a job of `duration` that must finish by `deadline`, then
 * returns the decision; start the job right after. Windows are whole 5-minute periods starting
 * between now and deadline − duration, so the job never starts later than that. With no
 * forecast, no choice left or planning failing, it returns at once saying so.
 *
 * @throws ApplicationFailure `InvalidCarbonAwareInput` (non-retryable) for a region that is not a
 *   WattTime code, a duration that is not positive, or a deadline that is not a time within 7 days.
 */
export async function waitForGreenestWindow(options: GreenestWindowWaitOptions): Promise<GreenestWindowDecision> {
  const request = resolveWaitOptions(options, Date.now());
  const { region, signalType, durationMs, deadlineMs } = request;
  const latestStartMs = deadlineMs - durationMs;
  const report = (status: GreenestWindowWaitStatus): void => {
    if (options.showInWebUi !== false) setCurrentDetails(status.line);
    options.onStatus?.(status);
  };
  let plansAsked = 0;
  let forecastsUsed = 0;
  const decide = (reason: StartReason, window: GreenestWindow | null, problem?: string): GreenestWindowDecision => {
    const base = {
      region,
      signalType,
      reason,
      startAt: new Date(Date.now()).toISOString(),
      deadline: new Date(deadlineMs).toISOString(),
      durationMinutes: durationMs / 60_000,
      window,
      plansAsked,
      forecastsUsed,
    };
    const decision = { ...base, explanation: decisionExplanation(base, latestStartMs, problem) };
    report({ phase: 'decided', line: decision.explanation, window, nextCheckAt: null, decision });
    return decision;
  };
  const ask = async (): Promise<PlanGreenestWindowResult | { outcome: 'failed'; message: string }> => {
    plansAsked += 1;
    try {
      const summary = `plan greenest ${durationMs / 60_000}-minute window for ${region} before ${isoSeconds(deadlineMs)}`;
      const { planGreenestWindow } = proxyActivities<CarbonAwareActivities>({ ...PLAN_OPTIONS, summary });
      return await planGreenestWindow({ region, signalType, durationMs, nowMs: Date.now(), latestStartMs });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      return { outcome: 'failed', message: error.cause?.message ?? error.message };
    }
  };

  // Only the current period can still start in time: nothing to choose.
  if (latestStartMs < moerPeriodStart(Date.now()) + MOER_PERIOD_MS) return decide('no-choice', null);
  report({ phase: 'planning', line: `planning the greenest ${durationMs / 60_000}-minute window for ${region}`, window: null, nextCheckAt: null, decision: null });
  const first = await ask();
  if (first.outcome !== 'window') {
    return decide(first.outcome === 'failed' ? 'planning-failed' : first.outcome, null, first.message);
  }
  let window = first.window;
  forecastsUsed = 1;
  for (;;) {
    const startMs = Date.parse(window.best.start);
    const nowMs = Date.now();
    if (startMs <= nowMs) return decide('greenest-window', window);
    const wakeMs = Math.min(startMs, nowMs + REPLAN_INTERVAL_MS);
    const nextCheckAt = wakeMs < startMs ? new Date(wakeMs).toISOString() : null;
    report({ phase: 'waiting', line: waitingLine(window, deadlineMs), window, nextCheckAt, decision: null });
    await sleep(wakeMs - nowMs);
    // The fired timer decides, not a fresh look at the clock: replay sees the same timer.
    if (wakeMs === startMs) return decide('greenest-window', window);
    const again = await ask();
    // Same forecast: the plan stands. None or a failure now: keep the plan already made.
    if (again.outcome === 'window' && again.window.forecast.generatedAt !== window.forecast.generatedAt) {
      window = again.window;
      forecastsUsed += 1;
    }
  }
}

function invalid(message: string): never {
  throw ApplicationFailure.nonRetryable(message, INVALID_CARBON_AWARE_INPUT);
}

function resolveWaitOptions(options: GreenestWindowWaitOptions, nowMs: number): WaitRequest {
  const { region } = options;
  const signalType = options.signalType ?? DEFAULT_SIGNAL_TYPE;
  if (typeof region !== 'string' || !/^[A-Z0-9_]+$/.test(region)) {
    invalid(`region must be a WattTime region code such as CAISO_NORTH, got ${JSON.stringify(region)}`);
  }
  if (typeof signalType !== 'string' || !/^[a-z0-9_]+$/.test(signalType)) {
    invalid(`signalType must be a WattTime signal type such as co2_moer, got ${JSON.stringify(signalType)}`);
  }
  let rawMs: number;
  try {
    rawMs = msToNumber(options.duration);
  } catch {
    rawMs = NaN;
  }
  if (!Number.isFinite(rawMs) || rawMs <= 0) {
    invalid(`duration must be positive, such as '90m' or 5400000 (ms), got ${JSON.stringify(options.duration)}`);
  }
  const deadlineMs = new Date(options.deadline).getTime();
  if (!Number.isFinite(deadlineMs)) {
    invalid(`deadline must be a time such as 2024-06-19T06:00:00Z, got ${JSON.stringify(options.deadline)}`);
  }
  if (deadlineMs - nowMs > MAX_WAIT_MS) {
    invalid(`deadline must be at most 7 days ahead, got ${new Date(deadlineMs).toISOString()}`);
  }
  return { region, signalType, durationMs: periodsFor(rawMs) * MOER_PERIOD_MS, deadlineMs };
}
