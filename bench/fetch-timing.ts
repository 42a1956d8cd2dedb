/**
 * What a region's workflow history says about its timer-driven fetches: when each was meant to
 * start, when it started, whether it succeeded, and how many events one steady cycle took. Read
 * from the history alone, so it holds whatever formula places a region's fetch in its period.
 */
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Milliseconds of a protobuf Timestamp or Duration (`seconds` a Long or a number); 0 when absent. */
function msOf(time: { seconds?: { toString(): string } | null; nanos?: number | null } | null | undefined): number {
  return Number(time?.seconds?.toString() ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);
}

export interface TimedFetch {
  /** When the timer before the fetch was meant to fire: its TimerStarted time + its duration (ms since epoch). */
  intendedFireMs: number;
  /** The fetchAndStore ActivityTaskStarted time (its last attempt's start), or null if it never started. */
  startedMs: number | null;
  /** Whether a fetchAndStore activity of this timer completed (the retry after a refused token, if any). */
  succeeded: boolean;
  /** fetchAndStore activities scheduled after this timer: 2 when WattTime refused the token and the fetch was retried. */
  activities: number;
  /**
   * Events from that TimerStarted up to (not including) the next TimerStarted: one whole cycle;
   * null while the next timer has not started yet.
   */
  cycleEvents: number | null;
}

const FETCH_ACTIVITY = 'fetchAndStore';

/** The number form of an event id (protobuf Long or number). */
function idOf(event: HistoryEvent): number {
  return Number(event.eventId?.toString() ?? 0);
}

/**
 * Every fetchAndStore activity scheduled after a fired timer, with that timer's intended fire
 * time. Fetches not preceded by a fired timer (the first fetch at start) are left out.
 */
export function timedFetches(events: readonly HistoryEvent[]): TimedFetch[] {
  const timerStarts = new Map<string, HistoryEvent>();
  const activityStarts = new Map<number, number>();
  const completed = new Set<number>();
  for (const event of events) {
    const timer = event.timerStartedEventAttributes;
    if (timer?.timerId) timerStarts.set(timer.timerId, event);
    const started = event.activityTaskStartedEventAttributes;
    if (started) activityStarts.set(Number(started.scheduledEventId?.toString()), msOf(event.eventTime));
    const done = event.activityTaskCompletedEventAttributes;
    if (done) completed.add(Number(done.scheduledEventId?.toString()));
  }

  const fetches: TimedFetch[] = [];
  let firedTimer: HistoryEvent | undefined;
  let open: { fetch: TimedFetch; timerEventId: number } | undefined;
  for (const event of events) {
    if (event.timerStartedEventAttributes) {
      if (open !== undefined) open.fetch.cycleEvents = idOf(event) - open.timerEventId;
      open = undefined;
    }
    const fired = event.timerFiredEventAttributes;
    if (fired?.timerId) firedTimer = timerStarts.get(fired.timerId);
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name !== FETCH_ACTIVITY) continue;
    if (firedTimer === undefined) {
      // A retry after a 401 schedules fetchAndStore again: it belongs to the same timer's fetch.
      if (open !== undefined) {
        open.fetch.activities += 1;
        open.fetch.succeeded ||= completed.has(idOf(event));
      }
      continue;
    }
    const attributes = firedTimer.timerStartedEventAttributes;
    const fetch: TimedFetch = {
      intendedFireMs: msOf(firedTimer.eventTime) + msOf(attributes?.startToFireTimeout),
      startedMs: activityStarts.get(idOf(event)) ?? null,
      succeeded: completed.has(idOf(event)),
      activities: 1,
      cycleEvents: null,
    };
    fetches.push(fetch);
    open = { fetch, timerEventId: idOf(firedTimer) };
    firedTimer = undefined;
  }
  return fetches;
}
