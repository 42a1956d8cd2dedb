/**
 * `regionWorkflow` across continue-as-new, outside any Temporal server: the workflow primitives
 * are replaced by a small simulation (as in region-run.test.ts) and `continueAsNew` hands back the
 * next run's input. The fetch window is part of the input, so every run keeps the region's offset.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { FetchAndStoreInput } from '../../activities/types';
import type { RegionWorkflowInput } from '../../workflows/input';
import { regionWorkflow } from '../../workflows/region-workflow';

/** What `continueAsNew` was given: the next run's input. */
class ContinuedAsNew {
  constructor(readonly input: RegionWorkflowInput) {}
}

/** When each fetch started, as `HH:MM:SS`. */
const fetchTimes: string[] = [];
const PERIOD = 5 * 60_000;

vi.mock('@temporalio/workflow', async (importOriginal) => {
  const noMetric = { withTags: () => ({ add: () => undefined, set: () => undefined }) };
  return {
    ...(await importOriginal<typeof import('@temporalio/workflow')>()),
    patched: () => true,
    setHandler: () => undefined,
    setCurrentDetails: () => undefined,
    upsertSearchAttributes: () => undefined,
    allHandlersFinished: () => true,
    // The server suggests continue-as-new after every period.
    workflowInfo: () => ({ continueAsNewSuggested: true, typedSearchAttributes: { get: () => undefined } }),
    metricMeter: { createCounter: () => noMetric, createGauge: () => noMetric },
    continueAsNew: (input: RegionWorkflowInput) => Promise.reject(new ContinuedAsNew(input)),
    condition: async (fn: () => boolean, timeoutMs?: number): Promise<boolean> => {
      if (fn()) return true;
      if (timeoutMs === undefined) throw new Error('the run would wait forever');
      vi.setSystemTime(Date.now() + timeoutMs);
      return false;
    },
    proxyActivities: () => ({
      ensureToken: async () => ({ expiresAtMs: Date.now() + 30 * 60_000, tokenId: 'token-1', loggedIn: true }),
      fetchAndStore: async (input: FetchAndStoreInput) => {
        fetchTimes.push(new Date(Date.now()).toISOString().slice(11, 19));
        const pointTime = new Date(Math.floor(Date.now() / PERIOD) * PERIOD).toISOString();
        const reading = { pointTime, value: 900, units: 'lbs_co2_per_mwh', carbonIntensityGco2Kwh: 408.2, indexPercentile: 40, forecast1h: null, forecast24h: null };
        expect(input.region).toBe('CAISO_NORTH');
        return { reading, forecastAvailable: true, warnings: 0 };
      },
    }),
  };
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-11-01T12:02:30Z'));
  fetchTimes.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

/** Runs one run of the workflow until it continues as new, and answers the next run's input. */
async function oneRun(input: RegionWorkflowInput): Promise<RegionWorkflowInput> {
  const ended = await regionWorkflow(input).then(
    () => new Error('the run ended instead of continuing as new'),
    (error: unknown) => error,
  );
  if (!(ended instanceof ContinuedAsNew)) throw ended;
  return ended.input;
}

it('keeps the fetch window, and so the region’s offset, across continue-as-new', async () => {
  let input: RegionWorkflowInput = { region: 'CAISO_NORTH', fetchWindowSeconds: 120 };
  for (let run = 0; run < 3; run++) {
    input = await oneRun(input);
    expect(input).toMatchObject({ region: 'CAISO_NORTH', fetchWindowSeconds: 120, carried: { continuedAsNew: run + 1 } });
  }
  // At once on start, then 30 s + CAISO_NORTH's 41 s after each boundary, in every run.
  expect(fetchTimes).toEqual(['12:02:30', '12:06:11', '12:11:11']);
  expect(input.carried?.nextFetchAtMs).toBe(Date.parse('2026-11-01T12:16:11Z'));
});
