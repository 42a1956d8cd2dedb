/**
 * The values crossing the contract between carbon-aware workflows (`waitForGreenestWindow`) and
 * their activity (typed by `CarbonAwareActivities` in `carbon-aware.ts`). Workflows import this
 * module with `import type` only; its values are recorded in history.
 */
import type { GreenestWindow } from '../common/greenest-window';

export interface PlanGreenestWindowInput {
  /** WattTime region, e.g. `CAISO_NORTH`. */
  readonly region: string;
  /** Signal type of the stored forecast, normally `co2_moer`. */
  readonly signalType: string;
  /** How long the job runs, ms; rounded up to whole 5-minute periods. */
  readonly durationMs: number;
  /** The workflow's current time, ms since epoch: windows start in its period or later. */
  readonly nowMs: number;
  /** Latest allowed start, ms since epoch: the deadline minus the duration. */
  readonly latestStartMs: number;
}

/**
 * `window`: the greenest window of the newest stored forecast. `no-forecast`: none is stored
 * (the region's workflow is not running, or the plan gives no forecast). `no-window`: the newest
 * forecast holds no whole window between now and the latest start (too old, or too short).
 */
export type PlanGreenestWindowResult =
  | { readonly outcome: 'window'; readonly window: GreenestWindow }
  | { readonly outcome: 'no-forecast' | 'no-window'; readonly message: string };
