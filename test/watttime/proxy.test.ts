/**
 * WattTime calls on a corporate network: a real forward proxy (`proxy`, Squid-like) on loopback in
 * front of the emulator. HTTP_PROXY forwards plain-http calls through it over kept-alive
 * connections, HTTPS_PROXY tunnels https ones (WattTime's) with CONNECT, NO_PROXY exempts a host.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy, type ProxyServer } from 'proxy';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { DEFAULT_ACCOUNT, type RunningEmulator } from '../../emulator/server';
import { freePort } from '../../servers/free-port';
import { WattTimeClient } from '../../watttime/client';
import { UnavailableError } from '../../watttime/errors';
import { expectFailure, simulatedClock, startTestEmulator } from './support';

const clock = simulatedClock();
const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];

let emulator: RunningEmulator;
let proxy: ProxyServer;
let proxyUrl: string;
/** Requests the proxy forwarded, as `METHOD absolute-URL`. */
let proxied: string[];
/** TCP connections clients opened to the proxy. */
let proxyConnections: number;
/** CONNECT tunnels asked for, as `host:port`. */
let tunnels: string[];

beforeAll(async () => {
  emulator = await startTestEmulator(clock);
  proxy = createProxy(createServer());
  proxy.on('request', (request: IncomingMessage) => proxied.push(`${request.method} ${request.url}`));
  proxy.on('connection', () => (proxyConnections += 1));
  proxy.on('connect', (request: IncomingMessage) => tunnels.push(request.url ?? ''));
  await new Promise<void>((resolveListen) => proxy.listen(0, '127.0.0.1', resolveListen));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

beforeEach(() => {
  proxied = [];
  proxyConnections = 0;
  tunnels = [];
  delete proxy.authenticate;
  emulator.control.resetCounters();
  // Only what each test sets, whatever the machine has.
  for (const name of PROXY_VARIABLES) vi.stubEnv(name, undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolveClose) => proxy?.close(resolveClose));
  await emulator?.close();
});

/** Three fetches of a region (after a login, before a plan check), with a client built from the environment as it is now. */
async function fetchLikeARegion(): Promise<void> {
  const client = new WattTimeClient({ baseUrl: emulator.url, now: clock.now });
  try {
    const { token } = await client.login(DEFAULT_ACCOUNT);
    for (let fetch = 0; fetch < 3; fetch += 1) {
      await client.forecast(token, { region: 'CAISO_NORTH', signalType: 'co2_moer', horizonHours: 0 });
      await client.signalIndex(token, { region: 'CAISO_NORTH', signalType: 'co2_moer' });
    }
    await client.myAccess(token);
  } finally {
    await client.close();
  }
}

const emulatorCalls = (): Record<string, number> => emulator.control.counters().callsByEndpoint;
const everyCall = { '/login': 1, '/v3/forecast': 3, '/v3/signal-index': 3, '/v3/my-access': 1 };

it('sends every WattTime call through HTTP_PROXY, over kept-alive connections', async () => {
  vi.stubEnv('HTTP_PROXY', proxyUrl);
  await fetchLikeARegion();
  const fetch = [
    `GET ${emulator.url}/v3/forecast?region=CAISO_NORTH&signal_type=co2_moer&horizon_hours=0`,
    `GET ${emulator.url}/v3/signal-index?region=CAISO_NORTH&signal_type=co2_moer`,
  ];
  expect(proxied).toEqual([`GET ${emulator.url}/login`, ...fetch, ...fetch, ...fetch, `GET ${emulator.url}/v3/my-access`]);
  // The emulator answered exactly those eight, so none went around the proxy.
  expect(emulatorCalls()).toEqual(everyCall);
  // The pool keeps its connections to the proxy alive: eight requests, at most two connections
  // (undici may open a second one while the first response is being finished).
  expect(proxyConnections).toBeGreaterThanOrEqual(1);
  expect(proxyConnections).toBeLessThanOrEqual(2);
});

it('goes around the proxy for a host in NO_PROXY', async () => {
  vi.stubEnv('HTTP_PROXY', proxyUrl);
  vi.stubEnv('NO_PROXY', 'localhost,127.0.0.1');
  await fetchLikeARegion();
  expect(proxied).toEqual([]);
  expect(proxyConnections).toBe(0);
  expect(emulatorCalls()).toEqual(everyCall);
});

it('leaves a plain-http base URL alone when only HTTPS_PROXY is set, which is for https origins such as WattTime', async () => {
  vi.stubEnv('HTTPS_PROXY', proxyUrl);
  await fetchLikeARegion();
  expect(proxied).toEqual([]);
  expect(emulatorCalls()['/login']).toBe(1);
});

it('tunnels an https origin, as WattTime\'s is, through HTTPS_PROXY with CONNECT', async () => {
  vi.stubEnv('HTTPS_PROXY', proxyUrl);
  // This proxy refuses tunnels (407), so nothing leaves the machine; the CONNECT shows the route.
  proxy.authenticate = (request) => request.method !== 'CONNECT';
  const client = new WattTimeClient({ baseUrl: 'https://api.watttime.invalid' });
  try {
    await expectFailure(client.login(DEFAULT_ACCOUNT), UnavailableError, /Proxy response \(407\) !== 200 when HTTP Tunneling/);
  } finally {
    await client.close();
  }
  expect(tunnels).toEqual(['api.watttime.invalid:443']);
  expect(proxied).toEqual([]);
});

it('reports a proxy that is down as WattTime being unreachable, a typed retryable failure', async () => {
  vi.stubEnv('HTTP_PROXY', `http://127.0.0.1:${await freePort()}`);
  const client = new WattTimeClient({ baseUrl: emulator.url, now: clock.now, connectTimeout: 2_000 });
  try {
    await expectFailure(client.login(DEFAULT_ACCOUNT), UnavailableError, /unreachable \(ECONNREFUSED\)/);
  } finally {
    await client.close();
  }
  expect(emulatorCalls()).toEqual({});
});
