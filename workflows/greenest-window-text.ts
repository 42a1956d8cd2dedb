/** The one-line texts `waitForGreenestWindow` shows in the Web UI and gives as its reason. */
import type { GreenestWindow } from '../common/greenest-window';
import type { GreenestWindowDecision } from './greenest-window-wait';

/** ISO-8601 to the second, e.g. `2024-06-19T03:15:00Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const at = (iso: string): string => isoSeconds(Date.parse(iso));
const oneDecimal = (value: number): string => value.toFixed(1);

function forecastNote(window: GreenestWindow): string {
  const { generatedAt, stale, ageMinutes } = window.forecast;
  return `forecast generated ${at(generatedAt)}${stale ? ` (stale: ${ageMinutes} minutes old when planned)` : ''}`;
}

/** E.g. `waiting until 2024-06-19T03:15:00Z for the greenest 90-minute window (712.4 lbs/MWh, 21.3% below now) …`. */
export function waitingLine(window: GreenestWindow, deadlineMs: number): string {
  const { best } = window;
  return (
    `waiting until ${at(best.start)} for the greenest ${window.durationMinutes}-minute window ` +
    `(${oneDecimal(best.averageMoerLbsMwh)} lbs/MWh, ${oneDecimal(window.savingPercent)}% below starting at once) ` +
    `before ${isoSeconds(deadlineMs)}; ${forecastNote(window)}`
  );
}

/** Why the job starts when it does, for the decision (`problem`: the activity's message, if any). */
export function decisionExplanation(
  decision: Omit<GreenestWindowDecision, 'explanation'>,
  latestStartMs: number,
  problem?: string,
): string {
  const { window, reason } = decision;
  if (reason === 'no-choice') {
    return `deadline ${at(decision.deadline)} leaves no choice: a ${decision.durationMinutes}-minute job must start by ${isoSeconds(latestStartMs)}; starting now`;
  }
  if (reason === 'planning-failed') return `planning failed: ${problem ?? 'unknown error'}; starting now`;
  if (reason !== 'greenest-window' || window === null) return `${problem ?? reason}; starting now`;
  const { best } = window;
  const gain = window.startsNow
    ? 'the current period'
    : `${oneDecimal(window.savingLbsMwh)} lbs/MWh (${oneDecimal(window.savingPercent)}%) below starting at once`;
  const replanned = decision.forecastsUsed > 1 ? ` (replanned: ${decision.forecastsUsed} forecasts used)` : '';
  return (
    `greenest ${window.durationMinutes}-minute window before ${at(decision.deadline)}: ${at(best.start)} to ${at(best.end)} ` +
    `at ${oneDecimal(best.averageMoerLbsMwh)} lbs/MWh (${oneDecimal(best.averageGco2Kwh)} g/kWh), ${gain}; ${forecastNote(window)}${replanned}`
  );
}
