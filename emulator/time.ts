/** Time arithmetic shared by the handlers: period alignment and WattTime's timestamp format. */

/** Start (ms since epoch) of the period of `periodSeconds` that contains `ms`. */
export function periodStart(ms: number, periodSeconds: number): number {
  const periodMs = periodSeconds * 1000;
  return Math.floor(ms / periodMs) * periodMs;
}

/** First period start at or after `ms`. */
export function nextPeriodStartAtOrAfter(ms: number, periodSeconds: number): number {
  const periodMs = periodSeconds * 1000;
  return Math.ceil(ms / periodMs) * periodMs;
}

/** WattTime writes UTC timestamps with an explicit `+00:00` offset and whole seconds. */
export function formatTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}

// The contract says timestamps carry an offset; a naive time (no offset) is rejected rather
// than guessed, so a client that forgets the offset (or sends an unencoded `+`, which a query
// string decodes to a space) finds out here instead of in production.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO-8601 timestamp with `Z` or a `±hh:mm` offset; undefined when malformed. */
export function parseTime(text: string): number | undefined {
  if (!ISO_WITH_OFFSET.test(text)) return undefined;
  // Date.parse rolls impossible days over (Feb 30 → Mar 1); a real validator refuses them.
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
