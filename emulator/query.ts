/**
 * Query-string parsing for the data endpoints. A missing or unknown value is a 400; a value that
 * cannot be parsed (malformed time, horizon out of range) is a 422, as WATTTIME.md allows.
 */
import { ReplyError, errorReply } from './http';
import { findRegion } from './regions';
import { isKnownSignalType, type KnownSignalType } from './signals';
import { parseTime } from './time';

function fail(status: number, error: string, message: string): never {
  throw new ReplyError(errorReply(status, error, message));
}

/** A parameter's value; empty counts as absent. */
export function optionalParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

export function requiredParam(query: URLSearchParams, name: string): string {
  return optionalParam(query, name) ?? fail(400, 'missing_parameter', `Missing required parameter: ${name}`);
}

export function checkRegion(region: string): string {
  return findRegion(region)?.region ?? fail(400, 'invalid_region', `Unknown region: ${region}`);
}

export function checkSignalType(signalType: string): KnownSignalType {
  return isKnownSignalType(signalType)
    ? signalType
    : fail(400, 'invalid_signal_type', `Unknown signal_type: ${signalType}`);
}

/** An ISO-8601 time with an offset, in ms since epoch. */
export function timeParam(query: URLSearchParams, name: string): number | undefined {
  const text = optionalParam(query, name);
  if (text === undefined) return undefined;
  return (
    parseTime(text) ??
    fail(422, 'invalid_parameter', `${name} must be an ISO-8601 time with an offset (URL-encode "+"): ${text}`)
  );
}

export function requiredTimeParam(query: URLSearchParams, name: string): number {
  return timeParam(query, name) ?? fail(400, 'missing_parameter', `Missing required parameter: ${name}`);
}

/** `horizon_hours`: a whole number of hours 0–72, 24 when absent. */
export function horizonHoursParam(query: URLSearchParams): number {
  const text = optionalParam(query, 'horizon_hours');
  if (text === undefined) return 24;
  const hours = Number(text);
  if (!/^\d+$/.test(text) || hours > 72) {
    fail(422, 'invalid_parameter', `horizon_hours must be a whole number from 0 to 72: ${text}`);
  }
  return hours;
}

export function booleanParam(query: URLSearchParams, name: string): boolean {
  const text = optionalParam(query, name);
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  return fail(422, 'invalid_parameter', `${name} must be true or false: ${text}`);
}

/** A decimal coordinate within [min, max]. */
export function coordinateParam(query: URLSearchParams, name: string, min: number, max: number): number {
  const text = requiredParam(query, name);
  const value = Number(text);
  if (!/^-?\d+(\.\d+)?$/.test(text) || value < min || value > max) {
    fail(422, 'invalid_parameter', `${name} must be a number from ${min} to ${max}: ${text}`);
  }
  return value;
}

export function badRequest(error: string, message: string): never {
  return fail(400, error, message);
}
