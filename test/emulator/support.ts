/** Shared set-up for the emulator tests: an in-process emulator on a simulated clock. */
import { afterEach } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/server';

/** 18:42:30 UTC: inside the 18:40 period, 2.5 minutes after it started. */
export const T0 = Date.parse('2024-06-18T18:42:30Z');
export const PERIOD_1840 = Date.parse('2024-06-18T18:40:00Z');

export class FakeClock {
  constructor(public ms: number = T0) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface TestEmulator {
  emulator: RunningEmulator;
  clock: FakeClock;
  url: string;
}

const running: RunningEmulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

/** Starts an emulator on a free port, closed automatically after the test. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const clock = new FakeClock();
  const emulator = await startEmulator({ now: clock.now, ...options });
  running.push(emulator);
  return { emulator, clock, url: emulator.url };
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export async function login(url: string, username = 'demo', password = 'demo-password'): Promise<string> {
  const response = await fetch(`${url}/login`, { headers: { authorization: basicAuth(username, password) } });
  if (response.status !== 200) throw new Error(`login answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/** GET `path` (with query) with a bearer token. */
export function getWithToken(url: string, path: string, token: string): Promise<Response> {
  return fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

export function query(params: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', '+00:00');
}
