/**
 * The region workflow's query, updates and signal, shared with the client. Updates answer only
 * once the workflow has applied them; `stop` is a signal so it is accepted even while no worker
 * runs, and the workflow's result is the final health.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RegionHealth } from './health';

export interface TokenRefreshResult {
  /** ISO-8601. */
  tokenExpiresAt: string;
  tokenId: string;
  /** False when the worker reused a token another region had just obtained. */
  loggedIn: boolean;
}

export interface SetIntervalResult {
  intervalSeconds: number;
  /** ISO-8601; null while paused. */
  nextFetchAt: string | null;
}

export const healthQuery = defineQuery<RegionHealth>('health');

/** Logs in now (forced), whatever the held token's expiry. */
export const refreshTokenUpdate = defineUpdate<TokenRefreshResult>('refreshToken');

/** New fetch interval in whole seconds, 60–3600; anything else is rejected and changes nothing. */
export const setIntervalUpdate = defineUpdate<SetIntervalResult, [number]>('setInterval');

/** Stops fetching (a fetch under way finishes); answers the health, now `paused`. */
export const pauseUpdate = defineUpdate<RegionHealth>('pause');

/** Fetches again, at once if the slot went by while paused; answers the health. */
export const resumeUpdate = defineUpdate<RegionHealth>('resume');

/** Finishes the step under way, then completes with the final health as the result. */
export const stopSignal = defineSignal('stop');
