/**
 * The client's own arguments, checked before anything is asked of Temporal or WattTime: a
 * malformed one costs no login and changes nothing, and is refused with one line that quotes it
 * (JSON-quoted, so a newline in it cannot split the line).
 */
import { FETCH_INTERVAL_SECONDS } from '../common/limits';
import { REGION_CODE_PATTERN, SIGNAL_TYPES } from '../common/names';

/** A command-line argument the client refuses; its message is the one line shown. */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

/**
 * A region code as `GRID_REGIONS` takes it (`REGION_CODE_PATTERN`: upper-case letters, digits,
 * underscores). Whether WattTime knows a well-formed code is for `/v3/my-access` to say.
 *
 * @throws ArgumentError when `value` is malformed.
 */
export function regionCode(value: string): string {
  if (!REGION_CODE_PATTERN.test(value)) {
    throw new ArgumentError(
      `${JSON.stringify(value)} is not a region code: WattTime region codes are upper-case letters, digits and underscores, like CAISO_NORTH`,
    );
  }
  return value;
}

/** `regionCode` for each; throws for the first malformed one. */
export function regionCodes(values: readonly string[]): string[] {
  return values.map(regionCode);
}

/**
 * One of WattTime's signal types (`SIGNAL_TYPES`).
 *
 * @throws ArgumentError for any other value.
 */
export function signalType(value: string): string {
  if (!SIGNAL_TYPES.includes(value)) {
    throw new ArgumentError(`unknown signal type ${JSON.stringify(value)}: WattTime's signal types are ${SIGNAL_TYPES.join(', ')}`);
  }
  return value;
}

/**
 * A fetch interval in whole seconds, digits only (`1.5e2`, `0x3c` and `" 120 "` are refused as
 * `FETCH_INTERVAL_SECONDS` refuses them). The range (60–3600) is the workflow's to check, so its
 * update validator answers for every client alike.
 *
 * @throws ArgumentError when `value` is not a plain integer.
 */
export function intervalSeconds(value: string): number {
  if (!/^-?\d+$/.test(value)) {
    throw new ArgumentError(
      `seconds must be a whole number (${FETCH_INTERVAL_SECONDS.min}-${FETCH_INTERVAL_SECONDS.max}), got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}
