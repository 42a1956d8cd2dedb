import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freePort } from '../../servers/free-port';
import { startLocalStack } from '../../servers/local-stack';
import { MissingDependencyError } from '../../servers/missing-dependency-error';
import { obtainServerBinaries, type ServerBinaries } from '../../servers/obtain-binaries';

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolveCheck) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveCheck(true);
    });
    socket.once('error', () => resolveCheck(false));
  });
}

/** Command lines of this process's children (`ps` exits 1 when there are none). */
function childCommands(): string[] {
  try {
    return execFileSync('ps', ['-o', 'args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return [];
  }
}

/** Every sign of a started server: its ports, its process, its log file. Empty while none runs. */
async function signsOfServers(stateDir: string, ports: number[], binaries: ServerBinaries): Promise<string[]> {
  const signs: string[] = [];
  for (const port of ports) if (await listening(port)) signs.push(`port ${port} is listening`);
  for (const command of childCommands()) {
    if (command.startsWith(binaries.temporalCli) || command.startsWith(binaries.influxd)) signs.push(`process ${command} runs`);
  }
  for (const file of readdirSync(stateDir, { recursive: true, encoding: 'utf8' })) signs.push(`${file} exists`);
  return signs;
}

it('obtains every binary before it starts any server, then starts both servers', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'stack-order-'));
  const temporalPort = await freePort();
  const temporalUiPort = await freePort();
  const influxPort = await freePort();
  const ports = [temporalPort, temporalUiPort, influxPort];
  const seenWhileObtaining: string[] = [];
  let checks = 0;
  // Stands in for a first run that installs and builds: slow, and nothing may start meanwhile.
  const slowObtain = async (): Promise<ServerBinaries> => {
    const binaries = await obtainServerBinaries();
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      seenWhileObtaining.push(...(await signsOfServers(stateDir, ports, binaries)));
      checks++;
      await new Promise((resolveTick) => setTimeout(resolveTick, 100));
    }
    return binaries;
  };

  const stack = await startLocalStack({
    stateDir,
    database: 'stack_order',
    persistTemporal: false,
    temporalPort,
    temporalUiPort,
    influxPort,
    obtain: slowObtain,
  });
  try {
    expect(seenWhileObtaining).toEqual([]);
    expect(checks).toBeGreaterThan(5);
    // Once obtained, both servers started and answer on the ports they were given.
    expect(stack.temporal.address).toBe(`127.0.0.1:${temporalPort}`);
    expect((await fetch(`http://127.0.0.1:${influxPort}/ping`)).status).toBe(204);
    for (const port of ports) expect(await listening(port)).toBe(true);
    expect(readdirSync(stateDir, { recursive: true, encoding: 'utf8' })).toEqual(
      expect.arrayContaining(['temporal-dev-server.log', join('influxdb', 'influxd.log')]),
    );
  } finally {
    await stack.stop();
  }
});

it('starts no server when the binaries cannot be obtained, and passes the reason on', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'stack-order-'));
  const failingObtain = async (): Promise<ServerBinaries> => {
    await new Promise((resolveTick) => setTimeout(resolveTick, 500));
    throw new MissingDependencyError('go is not on PATH; install Go (the Go toolchain builds InfluxDB), or set INFLUXD_PATH to an influxd binary.');
  };
  await expect(
    startLocalStack({ stateDir, database: 'stack_order', persistTemporal: false, obtain: failingObtain }),
  ).rejects.toThrow('go is not on PATH; install Go (the Go toolchain builds InfluxDB), or set INFLUXD_PATH to an influxd binary.');
  expect(readdirSync(stateDir)).toEqual([]);
  expect(childCommands().filter((command) => /temporal|influxd/.test(command))).toEqual([]);
});
