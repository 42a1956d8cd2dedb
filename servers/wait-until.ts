import { readFileSync } from 'node:fs';
import type { ManagedProcess } from './managed-process';

/**
 * Polls `probe` until it resolves true. Fails early, with the tail of the server log, when the
 * process dies or the deadline passes.
 */
export async function waitUntilReady(
  server: ManagedProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.hasExited) throw new Error(`${server.name} exited during start-up. ${logTail(server.logFile)}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`${server.name} was not ready within ${timeoutMs / 1000}s. ${logTail(server.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
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
