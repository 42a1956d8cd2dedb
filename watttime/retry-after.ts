/**
 * Milliseconds to wait according to a `Retry-After` header: delay-seconds (`120`) or an
 * HTTP-date. Undefined when absent or unreadable (WattTime may not send it at all); a date in
 * the past means "now", i.e. 0.
 */
export function parseRetryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // Every HTTP-date form names the month; this keeps Date.parse from reading "-5" as a year.
  const at = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
