import { readFileSync, statSync } from 'node:fs';
import type { ManagedProcess } from './managed-process';

/** How long a just-spawned server may take to answer its readiness probe. */
export interface Readiness {
  /** Time every server gets, counted from its spawn (binaries are obtained before). */
  readonly baseMs: number;
  /** Past `baseMs`, a server still gets time while its log grew within this window… */
  readonly quietMs: number;
  /** …but never more than this in all, counted from its spawn. */
  readonly capMs: number;
}

/**
 * A server that is alive and still writing its log on a loaded 2-core machine keeps getting
 * time, up to 5 minutes; a silent one is given up after 60 s.
 */
export const serverReadiness: Readiness = { baseMs: 60_000, quietMs: 20_000, capMs: 300_000 };

/** A probe that has not answered within this long counts as "not ready yet". */
const PROBE_TIMEOUT_MS = 5_000;
const POLL_MS = 200;

/**
 * Polls `probe` until it resolves true. Call it right after spawning `server`.
 *
 * @throws Error, one line ending with the tail of the server's log, as soon as the process exits
 *   ("… exited with code N during start-up"), or when it is not ready after `baseMs` and its log
 *   has been quiet for `quietMs`, or after `capMs` at the latest.
 */
export async function waitUntilReady(
  server: ManagedProcess,
  probe: () => Promise<boolean>,
  readiness: Readiness = serverReadiness,
): Promise<void> {
  const started = Date.now();
  let logSize = sizeOf(server.logFile);
  let logGrewAt = started;
  for (;;) {
    const answer = await Promise.race([
      probe().catch(() => false),
      server.exited.then(() => false),
      sleep(PROBE_TIMEOUT_MS).then(() => false),
    ]);
    if (server.hasExited) {
      await server.exited;
      throw new Error(`${server.name} exited with code ${server.exitCode} during start-up. ${logTail(server.logFile)}`);
    }
    if (answer) return;
    const now = Date.now();
    const size = sizeOf(server.logFile);
    if (size !== logSize) {
      logSize = size;
      logGrewAt = now;
    }
    const waited = Math.round((now - started) / 1000);
    if (now - started >= readiness.capMs) {
      throw new Error(`${server.name} was not ready within ${waited}s although still running and logging. ${logTail(server.logFile)}`);
    }
    if (now - started >= readiness.baseMs && now - logGrewAt >= readiness.quietMs) {
      throw new Error(
        `${server.name} was not ready within ${waited}s and its log has been quiet for ${Math.round((now - logGrewAt) / 1000)}s. ` +
          logTail(server.logFile),
      );
    }
    await Promise.race([sleep(POLL_MS), server.exited]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms).unref());
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function logTail(logFile: string): string {
  try {
    const lines = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join(' | ');
    return `Log ${logFile}: ${lines}`;
  } catch {
    return `Log: ${logFile}`;
  }
}
