import type { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { timedFetches } from '../../bench/fetch-timing';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const T = Date.parse('2026-11-29T19:05:00Z');
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 });

/** A history from `[kind, time ms, attributes]` rows, numbered from 1. */
function history(rows: [string, number, Record<string, unknown>][]): HistoryEvent[] {
  return rows.map(([kind, ms, attributes], i) => ({ eventId: i + 1, eventTime: at(ms), [`${kind}EventAttributes`]: attributes }) as unknown as HistoryEvent);
}

const task = (ms: number): [string, number, Record<string, unknown>][] => [
  ['workflowTaskScheduled', ms, {}],
  ['workflowTaskStarted', ms, {}],
  ['workflowTaskCompleted', ms, {}],
];

describe('timedFetches (the scale bench reading a region history)', () => {
  it('gives each timer-driven fetch its intended fire time, start, outcome and the events of its cycle', () => {
    const events = history([
      ['workflowExecutionStarted', T, {}],
      ...task(T),
      // Event 5: the first fetch at start, no timer before it: left out.
      ['activityTaskScheduled', T, { activityType: { name: 'fetchAndStore' } }],
      ['activityTaskStarted', T + 100, { scheduledEventId: 5 }],
      ['activityTaskCompleted', T + 200, { scheduledEventId: 5 }],
      ...task(T + 200),
      // Event 11: the wait for the next fetch, due 55 s after it started.
      ['timerStarted', T + 300, { timerId: '1', startToFireTimeout: { seconds: 55, nanos: 0 } }],
      ['timerFired', T + 55_300, { timerId: '1', startedEventId: 11 }],
      ...task(T + 55_400),
      ['activityTaskScheduled', T + 55_500, { activityType: { name: 'fetchAndStore' } }],
      ['activityTaskStarted', T + 56_800, { scheduledEventId: 16 }],
      ['activityTaskCompleted', T + 57_000, { scheduledEventId: 16 }],
      ...task(T + 57_000),
      ['timerStarted', T + 57_100, { timerId: '2', startToFireTimeout: { seconds: 60, nanos: 0 } }],
      ['timerFired', T + 117_100, { timerId: '2', startedEventId: 22 }],
      ...task(T + 117_100),
      // Event 27: a fetch that failed after its retries.
      ['activityTaskScheduled', T + 117_200, { activityType: { name: 'fetchAndStore' } }],
      ['activityTaskStarted', T + 117_300, { scheduledEventId: 27 }],
      ['activityTaskFailed', T + 140_000, { scheduledEventId: 27 }],
    ]);
    expect(timedFetches(events)).toEqual([
      { intendedFireMs: T + 55_300, startedMs: T + 56_800, succeeded: true, activities: 1, cycleEvents: 11 },
      { intendedFireMs: T + 117_100, startedMs: T + 117_300, succeeded: false, activities: 1, cycleEvents: null },
    ]);
  });

  it('counts a token refresh before the fetch in its cycle, and a fetch that never started as not started', () => {
    const events = history([
      ['timerStarted', T, { timerId: '1', startToFireTimeout: { seconds: 300, nanos: 0 } }],
      ['timerFired', T + 300_000, { timerId: '1', startedEventId: 1 }],
      ...task(T + 300_000),
      ['activityTaskScheduled', T + 300_100, { activityType: { name: 'ensureToken' } }],
      ['activityTaskStarted', T + 300_200, { scheduledEventId: 6 }],
      ['activityTaskCompleted', T + 300_300, { scheduledEventId: 6 }],
      ...task(T + 300_300),
      ['activityTaskScheduled', T + 300_400, { activityType: { name: 'fetchAndStore' } }],
      ['activityTaskTimedOut', T + 400_000, { scheduledEventId: 12 }],
    ]);
    expect(timedFetches(events)).toEqual([{ intendedFireMs: T + 300_000, startedMs: null, succeeded: false, activities: 1, cycleEvents: null }]);
  });

  it('counts the retry after a refused token as the same fetch, which succeeded, started at its first attempt', () => {
    const events = history([
      ['timerStarted', T, { timerId: '1', startToFireTimeout: { seconds: 300, nanos: 0 } }],
      ['timerFired', T + 300_000, { timerId: '1', startedEventId: 1 }],
      ...task(T + 300_000),
      ['activityTaskScheduled', T + 300_100, { activityType: { name: 'fetchAndStore' } }],
      ['activityTaskStarted', T + 300_200, { scheduledEventId: 6 }],
      ['activityTaskFailed', T + 300_300, { scheduledEventId: 6 }],
      ...task(T + 300_300),
      ['activityTaskScheduled', T + 300_400, { activityType: { name: 'ensureToken' } }],
      ['activityTaskStarted', T + 300_500, { scheduledEventId: 12 }],
      ['activityTaskCompleted', T + 300_900, { scheduledEventId: 12 }],
      ...task(T + 300_900),
      ['activityTaskScheduled', T + 301_000, { activityType: { name: 'fetchAndStore' } }],
      ['activityTaskStarted', T + 301_100, { scheduledEventId: 18 }],
      ['activityTaskCompleted', T + 301_300, { scheduledEventId: 18 }],
      ...task(T + 301_300),
      ['timerStarted', T + 301_400, { timerId: '2', startToFireTimeout: { seconds: 299, nanos: 0 } }],
    ]);
    expect(timedFetches(events)).toEqual([{ intendedFireMs: T + 300_000, startedMs: T + 300_200, succeeded: true, activities: 2, cycleEvents: 23 }]);
  });
});
