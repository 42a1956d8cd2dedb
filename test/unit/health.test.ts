import { describe, expect, it } from 'vitest';
import { FailureType } from '../../common/failure-types';
import { regionHealth, statusLine } from '../../workflows/health';
import { resolveInput } from '../../workflows/input';
import { initialState, type RegionState } from '../../workflows/state';

const MIN = 60_000;
const T0 = Date.parse('2026-11-01T12:00:00Z');
const config = resolveInput({ region: 'CAISO_NORTH' });
const error = (type: string) => ({ type, message: `${type} happened`, at: new Date(T0).toISOString() });

function state(changes: Partial<RegionState>): RegionState {
  return { ...initialState(300, T0), ...changes };
}

const statusAt = (s: RegionState, nowMs = T0, stopping = false) => {
  const { status, statusReason } = regionHealth(config, s, nowMs, stopping);
  return `${status}: ${statusReason}`;
};

describe('status rules', () => {
  it('is healthy before any fetch and after a successful one', () => {
    expect(statusAt(state({}))).toBe('healthy: no fetch yet');
    expect(statusAt(state({ totalFetches: 3, lastSuccessAtMs: T0 }))).toBe('healthy: latest fetch succeeded');
  });

  it('says paused first, whatever else is wrong', () => {
    expect(statusAt(state({ paused: true, consecutiveFailures: 9, operatorFailure: error(FailureType.OutOfPlan) }))).toBe(
      'paused: paused by the operator',
    );
  });

  it('asks for the operator on bad credentials or an out-of-plan region', () => {
    const failure = error(FailureType.InvalidCredentials);
    expect(statusAt(state({ consecutiveFailures: 1, lastError: failure, operatorFailure: failure, lastSuccessAtMs: T0 }))).toBe(
      'unhealthy: needs the operator: WattTimeInvalidCredentials happened',
    );
  });

  it('is degraded while a success is under 30 minutes old, then unhealthy', () => {
    const failing = state({ totalFetches: 5, consecutiveFailures: 2, lastError: error(FailureType.Unavailable), lastSuccessAtMs: T0 });
    expect(statusAt(failing, T0 + 29 * MIN)).toBe(
      'degraded: 2 consecutive failed fetch(es), latest WattTimeUnavailable; last success within 30 minutes',
    );
    expect(statusAt(failing, T0 + 30 * MIN)).toBe(
      'unhealthy: 2 consecutive failed fetch(es), latest WattTimeUnavailable; no success for 30 minutes or more',
    );
  });

  it('says "no success yet" for a region that never succeeded, not "for 30 minutes or more"', () => {
    const neverSucceeded = state({ totalFetches: 1, consecutiveFailures: 1, lastError: error(FailureType.Unavailable) });
    expect(statusAt(neverSucceeded, T0 + 30_000)).toBe('unhealthy: 1 consecutive failed fetch(es), latest WattTimeUnavailable; no success yet');
  });

  it('shows no next fetch while paused or stopping, and the one-line Web UI status', () => {
    const s = state({ nextFetchAtMs: T0 + 5 * MIN + 30_000 });
    expect(regionHealth(config, s, T0, false).nextFetchAt).toBe('2026-11-01T12:05:30.000Z');
    expect(regionHealth(config, s, T0, true).nextFetchAt).toBeNull();
    expect(regionHealth(config, { ...s, paused: true }, T0, false).nextFetchAt).toBeNull();
    expect(statusLine(regionHealth(config, s, T0, false))).toBe('healthy · no reading yet · next 12:05:30Z');
  });
});
