import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ManagedProcess } from '../../servers/managed-process';
import { serverReadiness, waitUntilReady, type Readiness } from '../../servers/wait-until';

const started: ManagedProcess[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

/** A real child process running `script` under Node, its output in a fresh log file. */
function startServer(script: string): ManagedProcess {
  const server = ManagedProcess.start({
    name: 'test server',
    command: process.execPath,
    args: ['-e', script],
    logFile: join(mkdtempSync(join(tmpdir(), 'wait-until-')), 'server.log'),
  });
  started.push(server);
  return server;
}

/** Ready once the server has logged "listening", as a real server's probe would find it up. */
const loggedListening = (server: ManagedProcess) => async (): Promise<boolean> =>
  readFileSync(server.logFile, 'utf8').includes('listening');

const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Scaled-down deadlines: 1 s for everyone, more while the log grew in the last 1.5 s, 6 s at most. */
const short: Readiness = { baseMs: 1_000, quietMs: 1_500, capMs: 6_000 };

it('waits past the base deadline for a server that is still writing its log', async () => {
  const server = startServer(
    "let n = 0; setInterval(() => { n++; console.log('loading part ' + n); if (n === 30) console.log('listening'); }, 100);",
  );
  const start = Date.now();
  await waitUntilReady(server, loggedListening(server), short);
  expect(Date.now() - start).toBeGreaterThan(short.baseMs + 1_500);
  expect(server.hasExited).toBe(false);
});

it('gives up on a live server whose log went quiet once the base deadline is over, with its log tail', async () => {
  const server = startServer("console.log('opening the store'); setInterval(() => {}, 1000);");
  const start = Date.now();
  await expect(waitUntilReady(server, loggedListening(server), short)).rejects.toThrow(
    new RegExp(
      `^test server was not ready within \\d+s and its log has been quiet for \\d+s\\. Log ${escaped(server.logFile)}: opening the store$`,
    ),
  );
  expect(Date.now() - start).toBeLessThan(short.capMs);
  expect(server.hasExited).toBe(false);
});

it('gives up at the hard cap on a server that logs forever but never gets ready', async () => {
  const server = startServer("let n = 0; setInterval(() => console.log('retrying ' + ++n), 100);");
  const start = Date.now();
  await expect(waitUntilReady(server, loggedListening(server), short)).rejects.toThrow(
    new RegExp(`^test server was not ready within 6s although still running and logging\\. Log ${escaped(server.logFile)}: retrying \\d+`),
  );
  expect(Date.now() - start).toBeGreaterThanOrEqual(short.capMs);
});

it('fails at once, with its exit code and log tail, when the server dies during start-up', async () => {
  const server = startServer("console.error('reading config'); console.error('fatal: address already in use'); process.exit(3);");
  const start = Date.now();
  await expect(waitUntilReady(server, loggedListening(server), serverReadiness)).rejects.toThrow(
    `test server exited with code 3 during start-up. Log ${server.logFile}: reading config | fatal: address already in use`,
  );
  // The production deadline is 60 s; a dead server is reported as soon as it exits.
  expect(Date.now() - start).toBeLessThan(5_000);
});
