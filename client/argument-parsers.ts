/**
 * Commander argument parsers for the carbon-aware commands. Each refuses a bad value with one
 * line (commander prefixes it with the option's name) and exits 1.
 */
import { msToNumber } from '@temporalio/common/lib/time';
import { InvalidArgumentError } from 'commander';

const ISO_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** A positive length of time with a unit, as Temporal writes them (`90m`, `2h`, `1.5h`, `2d`) → ms. */
export function duration(value: string): number {
  let ms = NaN;
  // A bare number would be read as milliseconds: require a unit.
  if (/[a-z]\s*$/i.test(value)) {
    try {
      ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
    } catch {
      ms = NaN;
    }
  }
  if (!Number.isFinite(ms) || ms <= 0) throw new InvalidArgumentError('expected a positive duration with a unit, such as 90m or 2h.');
  return ms;
}

/** An ISO-8601 time with a zone (`2024-06-18T18:40:00Z`) → ms since epoch. */
export function isoTime(value: string): number {
  const ms = ISO_WITH_ZONE.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new InvalidArgumentError('expected an ISO-8601 time with a zone, such as 2024-06-18T18:40:00Z.');
  return ms;
}

/** An ISO-8601 time, or a duration from now (`12h`) → ms since epoch. */
export function timeOrFromNow(value: string): number {
  if (ISO_WITH_ZONE.test(value)) return isoTime(value);
  try {
    return Date.now() + duration(value);
  } catch {
    throw new InvalidArgumentError('expected an ISO-8601 time such as 2024-06-19T06:00:00Z, or a duration from now such as 12h.');
  }
}

/** A positive, finite number (kW, kWh). */
export function positiveNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected a positive number.');
  return number;
}

/** The job's arguments as JSON: an array is the argument list, any other value the only argument. */
export function jsonArguments(value: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`expected JSON, such as '["nightly", 3]' (${(error as Error).message}).`);
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}
