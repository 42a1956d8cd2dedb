import { describe, expect, it } from 'vitest';
import type { FetchAndStoreResult } from '../../activities/types';
import { FailureType } from '../../common/failure-types';
import {
  afterChunk,
  firstChunk,
  gapBetween,
  MAX_BACKFILL_ATTEMPTS,
  MAX_QUEUED_GAPS,
  periodsIn,
  PUBLICATION_WAIT_MS,
} from '../../workflows/backfill-queue';
import { initialState, queueGap, recordBackfill, recordBackfillFailure, recordSuccess } from '../../workflows/state';

const P = 5 * 60_000;
const DAY = 24 * 60 * 60_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const at = (k: number): number => T0 + k * P;
const iso = (ms: number): string => new Date(ms).toISOString();

function reading(k: number): FetchAndStoreResult {
  const value = 900 + k;
  return {
    reading: { pointTime: new Date(at(k)).toISOString(), value, units: 'lbs_co2_per_mwh', carbonIntensityGco2Kwh: value * 0.45359237, indexPercentile: 50, forecast1h: null, forecast24h: null },
    forecastAvailable: true,
    warnings: 0,
  };
}

const error = (type: string): { type: string; message: string; at: string } => ({ type, message: `${type} happened`, at: new Date(T0).toISOString() });

describe('gaps between readings', () => {
  it('are the periods strictly between two readings, none for adjacent or repeated ones', () => {
    expect(gapBetween(at(12), at(85), P)).toEqual({ firstMs: at(13), lastMs: at(84) });
    expect(periodsIn({ firstMs: at(13), lastMs: at(84) }, P)).toBe(72);
    expect(gapBetween(at(12), at(14), P)).toEqual({ firstMs: at(13), lastMs: at(13) });
    expect(gapBetween(at(12), at(13), P)).toBeNull();
    expect(gapBetween(at(12), at(12), P)).toBeNull();
    expect(gapBetween(at(12), at(11), P)).toBeNull();
  });

  it('are backfilled in chunks of at most 10 days that cover each period once', () => {
    const gap = { firstMs: at(1), lastMs: at(1) + 25 * DAY };
    const chunks = [];
    for (let rest: typeof gap | null = gap; rest !== null; ) {
      const chunk = firstChunk(rest, P);
      chunks.push(chunk);
      rest = afterChunk(rest, chunk, P);
    }
    expect(chunks.map((c) => c.lastMs - c.firstMs)).toEqual([10 * DAY, 10 * DAY, 5 * DAY - 2 * P]);
    expect(chunks.reduce((sum, c) => sum + periodsIn(c, P), 0)).toBe(periodsIn(gap, P));
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.firstMs).toBe(chunks[i - 1]!.lastMs + P);
  });
});

describe('backfill bookkeeping in the workflow state', () => {
  it('returns the gap a reading reveals and counts what backfill stored and what it could not', () => {
    const state = initialState(300, T0);
    expect(recordSuccess(state, reading(12), P, at(12))).toBeNull();
    const gap = recordSuccess(state, reading(85), P, at(85));
    expect(gap).toEqual({ firstMs: at(13), lastMs: at(84) });
    queueGap(state, gap!, P);
    // WattTime had 70 of the 72 periods, the last one among them: two holes in the middle.
    recordBackfill(state, gap!, { planAllows: true, storedPeriods: 70, lastStoredPointTime: iso(at(84)), warnings: 1 }, P, at(85));
    expect(state).toMatchObject({ backfilledPeriods: 70, missedPeriods: 2, warnings: 1, backfillQueue: [] });
  });

  it('keeps recent periods WattTime has not published yet queued, and gives them up after the wait', () => {
    const state = initialState(300, T0);
    const gap = { firstMs: at(13), lastMs: at(84) };
    queueGap(state, gap, P);
    // Published up to P78: P79 … P84 are asked for again after the next fetch.
    recordBackfill(state, gap, { planAllows: true, storedPeriods: 66, lastStoredPointTime: iso(at(78)), warnings: 0 }, P, at(85));
    const tail = { firstMs: at(79), lastMs: at(84) };
    expect(state).toMatchObject({ backfilledPeriods: 66, missedPeriods: 0, backfillQueue: [tail] });
    recordBackfill(state, tail, { planAllows: true, storedPeriods: 2, lastStoredPointTime: iso(at(80)), warnings: 0 }, P, at(86));
    expect(state).toMatchObject({ backfilledPeriods: 68, missedPeriods: 0, backfillQueue: [{ firstMs: at(81), lastMs: at(84) }] });
    // Six hours after the gap ended, what is still not there is missed.
    recordBackfill(state, { firstMs: at(81), lastMs: at(84) }, { planAllows: true, storedPeriods: 0, lastStoredPointTime: null, warnings: 0 }, P, at(84) + PUBLICATION_WAIT_MS);
    expect(state).toMatchObject({ backfilledPeriods: 68, missedPeriods: 4, backfillQueue: [] });
  });

  it('counts a gap the plan cannot backfill as missed', () => {
    const state = initialState(300, T0);
    const gap = { firstMs: at(1), lastMs: at(10) };
    queueGap(state, gap, P);
    recordBackfill(state, gap, { planAllows: false, storedPeriods: 0, lastStoredPointTime: null, warnings: 0 }, P, at(11));
    expect(state).toMatchObject({ backfilledPeriods: 0, missedPeriods: 10, backfillQueue: [] });
  });

  it('keeps a chunk through transient failures, then gives it up as missed after the last attempt', () => {
    const state = initialState(300, T0);
    const gap = { firstMs: at(1), lastMs: at(10) };
    queueGap(state, gap, P);
    for (let attempt = 1; attempt < MAX_BACKFILL_ATTEMPTS; attempt++) {
      recordBackfillFailure(state, gap, error(FailureType.Unavailable), P);
      expect(state).toMatchObject({ backfillAttempts: attempt, missedPeriods: 0, backfillQueue: [gap] });
    }
    recordBackfillFailure(state, gap, error(FailureType.Unavailable), P);
    expect(state).toMatchObject({ backfillAttempts: 0, missedPeriods: 10, backfillQueue: [] });
    expect(state.lastError).toMatchObject({ type: FailureType.Unavailable });
  });

  it('forgets a rejected token and keeps the chunk; gives up at once on a request WattTime will never answer', () => {
    const state = initialState(300, T0);
    state.token = { expiresAtMs: at(6), tokenId: 'abc' };
    const gap = { firstMs: at(1), lastMs: at(10) };
    queueGap(state, gap, P);
    recordBackfillFailure(state, gap, error(FailureType.TokenRejected), P);
    expect(state).toMatchObject({ token: null, backfillQueue: [gap], missedPeriods: 0 });
    recordBackfillFailure(state, gap, error(FailureType.BadRequest), P);
    expect(state).toMatchObject({ backfillQueue: [], missedPeriods: 10 });
  });

  it('settles a long gap chunk by chunk and keeps the rest queued', () => {
    const state = initialState(300, T0);
    const gap = { firstMs: at(1), lastMs: at(1) + 15 * DAY };
    queueGap(state, gap, P);
    const chunk = firstChunk(gap, P);
    recordBackfill(state, chunk, { planAllows: true, storedPeriods: periodsIn(chunk, P), lastStoredPointTime: iso(chunk.lastMs), warnings: 0 }, P, gap.lastMs + 2 * P);
    expect(state.backfillQueue).toEqual([{ firstMs: chunk.lastMs + P, lastMs: gap.lastMs }]);
    expect(state.backfilledPeriods).toBe(10 * 288 + 1);
  });

  it(`holds at most ${MAX_QUEUED_GAPS} gaps and counts the oldest beyond that as missed`, () => {
    const state = initialState(300, T0);
    for (let k = 0; k <= MAX_QUEUED_GAPS; k++) queueGap(state, { firstMs: at(3 * k), lastMs: at(3 * k + 1) }, P);
    expect(state.backfillQueue).toHaveLength(MAX_QUEUED_GAPS);
    expect(state.backfillQueue[0]).toEqual({ firstMs: at(3), lastMs: at(4) });
    expect(state.missedPeriods).toBe(2);
  });
});
