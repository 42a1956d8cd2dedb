import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseAccountSpec } from '../../emulator/account-spec';
import { basicAuth } from './support';

describe('parseAccountSpec', () => {
  it.each([
    ['alice:secret', { username: 'alice', password: 'secret', regions: [] }],
    ['bob:pw:PJM_DC,GB', { username: 'bob', password: 'pw', regions: ['PJM_DC', 'GB'] }],
    ['carol:pa:ss:', { username: 'carol', password: 'pa:ss', regions: [] }],
    ['dave:pa:ss:DE', { username: 'dave', password: 'pa:ss', regions: ['DE'] }],
  ])('parses %s', (spec, account) => {
    expect(parseAccountSpec(spec)).toEqual(account);
  });

  it.each([
    ['alice', /expected user:password/],
    ['alice:', /password/],
    ['bob:pw:ATLANTIS', /regions\.0: unknown region/],
  ])('rejects %s', (spec, message) => {
    expect(() => parseAccountSpec(spec)).toThrow(message);
  });
});

describe('npm run emulator (emulator/main.ts)', () => {
  it('prints its URL and accounts, serves them, and exits 0 on SIGTERM', async () => {
    const root = resolve(__dirname, '../..');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'emulator/main.ts', '--port', '0', '--account', 'ops:pw:PJM_DC', '--account', 'free:pw2'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      expect(line).toMatch(/^WattTime emulator listening on http:\/\/127\.0\.0\.1:\d+ \(accounts: ops, free\)$/);
      const url = /(http:\/\/\S+)/.exec(line)?.[1] ?? '';
      const ok = await fetch(`${url}/login`, { headers: { authorization: basicAuth('ops', 'pw') } });
      expect(ok.status).toBe(200);
      const demo = await fetch(`${url}/login`, { headers: { authorization: basicAuth('demo', 'demo-password') } });
      expect(demo.status).toBe(403);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('uses the demo account when none is given, and says so with its password', async () => {
    const root = resolve(__dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--port', '0', '--token-ttl', '60'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      expect(line).toMatch(/ \(account: demo \/ demo-password\)$/);
    } finally {
      child.kill('SIGINT');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('takes the data rate limit from --calls-per-5-minutes', async () => {
    const root = resolve(__dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--port', '0', '--calls-per-5-minutes', '2'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const url = /(http:\/\/\S+)/.exec(line)?.[1] ?? '';
      const login = await fetch(`${url}/login`, { headers: { authorization: basicAuth('demo', 'demo-password') } });
      const { token } = (await login.json()) as { token: string };
      const statuses: number[] = [];
      for (let call = 0; call < 3; call++) {
        const response = await fetch(`${url}/v3/signal-index?region=CAISO_NORTH&signal_type=co2_moer`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      child.kill('SIGTERM');
    }
    await once(child, 'exit');
  });

  it('refuses a bad option with a one-line error and exit code 1', async () => {
    const root = resolve(__dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/main.ts', '--account', 'x:y:ATLANTIS'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      "error: option '--account <user:password[:REGION,…]>' argument 'x:y:ATLANTIS' is invalid. regions.0: unknown region",
    );
  });
});
