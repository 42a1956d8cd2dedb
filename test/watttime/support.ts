/** Shared by the WattTime HTTP tests: the emulator on a simulated clock, and captured logs. */
import pino from 'pino';
import { expect } from 'vitest';
import { DEFAULT_ACCOUNT, startEmulator, type RunningEmulator } from '../../emulator/server';
import { WattTimeError } from '../../watttime/errors';
import type { WattTimeLogger } from '../../watttime/logger';

export interface SimulatedClock {
  nowMs: number;
  now: () => number;
}

export function simulatedClock(startIso = '2024-06-18T18:42:10Z'): SimulatedClock {
  const clock: SimulatedClock = { nowMs: Date.parse(startIso), now: () => clock.nowMs };
  return clock;
}

export async function startTestEmulator(clock: SimulatedClock): Promise<RunningEmulator> {
  return startEmulator({ port: 0, accounts: [DEFAULT_ACCOUNT], now: clock.now });
}

/** A real pino logger at debug level whose serialised lines are kept for inspection. */
export function capturedLogger(): { logger: WattTimeLogger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

export type ErrorClass<E extends WattTimeError> = abstract new (...args: never[]) => E;

/** Awaits a failure and checks its class and its message. */
export async function expectFailure<E extends WattTimeError>(
  promise: Promise<unknown>,
  errorClass: ErrorClass<E>,
  message: RegExp,
): Promise<E> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(errorClass);
  if (!(error instanceof errorClass)) throw new Error('unreachable: checked above');
  expect(error.message).toMatch(message);
  return error;
}

/** Every way a secret could leave through an error. */
export function errorRenderings(error: unknown): string[] {
  const renderings = [String(error), JSON.stringify(error)];
  if (error instanceof Error) {
    renderings.push(error.message, error.stack ?? '', String(error.cause ?? ''), JSON.stringify(error.cause ?? null));
  }
  return renderings;
}

/** Fails naming the first secret found in any text (showing only its length, not the secret). */
export function expectNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const secret of secrets) {
    const leaks = texts.filter((text) => text.includes(secret));
    expect(leaks.length, `a secret of length ${secret.length} leaked into ${leaks.length} text(s)`).toBe(0);
  }
}

/** What a `x-request-id` from the emulator looks like. */
export const REQUEST = '\\(request [0-9a-f-]{36}\\)';
