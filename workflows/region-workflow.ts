/**
 * The region workflow: one per region and signal type, looping forever — token when needed,
 * fetch and store, write what InfluxDB refused earlier, backfill what an outage or pause left
 * out, replace recent live estimates with final values hourly, sleep until the next 5-minute slot
 * (refreshing the token meanwhile when it nears expiry) — and continuing as new before its
 * history grows large. See docs/architecture.md.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { activityCalls } from './activity-calls';
import {
  healthQuery,
  pauseUpdate,
  refreshTokenUpdate,
  resumeUpdate,
  setIntervalUpdate,
  stopSignal,
} from './definitions';
import type { RegionHealth } from './health';
import { resolveInput, type RegionWorkflowInput } from './input';
import { RegionRun } from './region-run';
import { intervalProblem } from './schedule';
import { CARBON_REGION } from './search-attributes';
import { initialState } from './state';

/**
 * Periods per run before continuing as new even when the server does not suggest it (servers
 * differ in when, or whether, they do): about 3.5 days at 5 minutes, ~12 history events each,
 * plus ~17 per token refresh between fetches (one every ~5 periods with 30-minute tokens).
 */
export const MAX_PERIODS_PER_RUN = 1000;

function registerHandlers(run: RegionRun): void {
  setHandler(healthQuery, () => run.health());
  setHandler(refreshTokenUpdate, () => run.refreshToken(true));
  setHandler(
    setIntervalUpdate,
    (seconds) => {
      run.setInterval(seconds);
      return { intervalSeconds: seconds, nextFetchAt: run.health().nextFetchAt };
    },
    {
      validator: (seconds) => {
        const problem = intervalProblem(seconds);
        if (problem !== undefined) throw new Error(problem);
      },
    },
  );
  setHandler(pauseUpdate, () => {
    run.pause();
    return run.health();
  });
  setHandler(resumeUpdate, () => {
    run.resume();
    return run.health();
  });
  setHandler(stopSignal, () => run.requestStop());
}

/** Runs until the `stop` signal, and answers the final health. */
export async function regionWorkflow(input: RegionWorkflowInput): Promise<RegionHealth> {
  const config = resolveInput(input);
  // Fields added since the previous run was started take their initial values.
  const state = { ...initialState(config.intervalSeconds, Date.now()), ...input.carried };
  const run = new RegionRun(config, state, activityCalls);
  registerHandlers(run);
  if (workflowInfo().typedSearchAttributes.get(CARBON_REGION) !== config.region) {
    upsertSearchAttributes([{ key: CARBON_REGION, value: config.region }]);
  }
  run.showStatus();

  let periods = 0;
  while (await run.waitUntilDue()) {
    await run.fetchPeriod();
    await run.storeHeld();
    await run.backfillNext();
    await run.finalizeRecent();
    periods += 1;
    if (!run.stopping && (periods >= MAX_PERIODS_PER_RUN || workflowInfo().continueAsNewSuggested)) {
      // An update under way (e.g. refreshToken) must answer before this run ends.
      await condition(allHandlersFinished);
      // A stop that came in meanwhile ends the workflow instead.
      if (run.stopping) break;
      return continueAsNew<typeof regionWorkflow>({
        ...input,
        carried: { ...state, continuedAsNew: state.continuedAsNew + 1 },
      });
    }
  }
  await condition(allHandlersFinished);
  return run.health();
}
