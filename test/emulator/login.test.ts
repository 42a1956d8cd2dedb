import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../emulator/server';
import { tokenExpiresAtMs } from '../../watttime/token-expiry';
import { basicAuth, getWithToken, login, startTestEmulator, T0 } from './support';

const INDEX_PATH = '/v3/signal-index?region=CAISO_NORTH&signal_type=co2_moer';

describe('GET /login', () => {
  it('answers 200 with exactly {token} for good Basic credentials', async () => {
    const { url, emulator } = await startTestEmulator();
    const response = await fetch(`${url}/login`, { headers: { authorization: basicAuth('demo', 'demo-password') } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['token']);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(emulator.control.issuedTokens()).toEqual([body.token]);
  });

  it('issues a different token on every login', async () => {
    const { url, emulator } = await startTestEmulator();
    const first = await login(url);
    const second = await login(url);
    expect(first).not.toBe(second);
    expect(emulator.control.issuedTokens()).toEqual([first, second]);
  });

  it('answers 403 for a wrong password or unknown user, with a non-JSON body', async () => {
    const { url, emulator } = await startTestEmulator();
    for (const [user, password] of [
      ['demo', 'wrong'],
      ['nobody', 'demo-password'],
    ] as const) {
      const response = await fetch(`${url}/login`, { headers: { authorization: basicAuth(user, password) } });
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe('Forbidden: invalid username or password');
    }
    expect(emulator.control.issuedTokens()).toEqual([]);
    expect(emulator.control.counters()).toMatchObject({ logins: 0, failedLogins: 2 });
  });

  it('answers 401 with a Basic challenge when credentials are missing or not Basic', async () => {
    const { url } = await startTestEmulator();
    for (const headers of [{}, { authorization: 'Bearer abc' }, { authorization: 'Basic bm9jb2xvbg==' }] as Record<string, string>[]) {
      const response = await fetch(`${url}/login`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="WattTime"');
    }
  });

  it('is GET only: POST /login is 405 and /v3/login does not exist', async () => {
    const { url } = await startTestEmulator();
    const auth = { authorization: basicAuth('demo', 'demo-password') };
    const post = await fetch(`${url}/login`, { method: 'POST', headers: auth });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    const v3 = await fetch(`${url}/v3/login`, { method: 'POST', headers: auth });
    expect(v3.status).toBe(404);
  });

  it('accepts every configured account and only those', async () => {
    const { url } = await startTestEmulator({
      accounts: [
        { username: 'alice', password: 'a-pass', regions: [] },
        { username: 'bob', password: 'b:pass', regions: ['PJM_DC'] },
      ],
    });
    expect(await login(url, 'alice', 'a-pass')).toMatch(/./);
    expect(await login(url, 'bob', 'b:pass')).toMatch(/./);
    const demo = await fetch(`${url}/login`, {
      headers: { authorization: basicAuth(DEFAULT_ACCOUNT.username, DEFAULT_ACCOUNT.password) },
    });
    expect(demo.status).toBe(403);
  });

  it('limits logins to 100 per user per rolling 5 minutes, counting failed attempts', async () => {
    const { url, clock } = await startTestEmulator();
    for (let i = 0; i < 99; i++) await login(url);
    const wrong = await fetch(`${url}/login`, { headers: { authorization: basicAuth('demo', 'wrong') } });
    expect(wrong.status).toBe(403);
    clock.advance(60_000);
    const limited = await fetch(`${url}/login`, { headers: { authorization: basicAuth('demo', 'demo-password') } });
    expect(limited.status).toBe(429);
    // The first 100 attempts were at T0, so room returns 5 minutes after T0: 240 s from now.
    expect(limited.headers.get('retry-after')).toBe('240');
    clock.advance(240_000);
    expect(await login(url)).toMatch(/./);
  });
});

describe('bearer tokens', () => {
  it('are accepted until 30 minutes after issue by default, then answer 401', async () => {
    const { url, clock } = await startTestEmulator();
    const token = await login(url);
    clock.advance(1_799_999);
    expect((await getWithToken(url, INDEX_PATH, token)).status).toBe(200);
    clock.advance(1);
    const expired = await getWithToken(url, INDEX_PATH, token);
    expect(expired.status).toBe(401);
    expect(await expired.text()).toBe('Unauthorized');
    const fresh = await login(url);
    expect((await getWithToken(url, INDEX_PATH, fresh)).status).toBe(200);
  });

  it('follow tokenTtlSeconds, and a TTL change applies to tokens issued afterwards', async () => {
    const { url, clock, emulator } = await startTestEmulator({ tokenTtlSeconds: 60 });
    const short = await login(url);
    emulator.control.setTokenTtlSeconds(600);
    const long = await login(url);
    clock.advance(60_000);
    expect((await getWithToken(url, INDEX_PATH, short)).status).toBe(401);
    expect((await getWithToken(url, INDEX_PATH, long)).status).toBe(200);
    clock.advance(540_000);
    expect((await getWithToken(url, INDEX_PATH, long)).status).toBe(401);
  });

  it('can be JWT-shaped, so a client reading exp learns a short lifetime', async () => {
    const { url, clock } = await startTestEmulator({ tokenTtlSeconds: 20, tokenFormat: 'jwt' });
    const token = await login(url);
    expect(token.split('.')).toHaveLength(3);
    // The client's expiry rule (JWT exp wins over 30 minutes from sending) matches the emulator's.
    expect(tokenExpiresAtMs(token, T0)).toBe(T0 + 20_000);
    clock.advance(19_000);
    expect((await getWithToken(url, INDEX_PATH, token)).status).toBe(200);
    clock.advance(1_000);
    expect((await getWithToken(url, INDEX_PATH, token)).status).toBe(401);
  });

  it('all answer 401 after revokeAllTokens, while new logins work', async () => {
    const { url, emulator } = await startTestEmulator();
    const first = await login(url);
    const second = await login(url);
    emulator.control.revokeAllTokens();
    expect((await getWithToken(url, INDEX_PATH, first)).status).toBe(401);
    expect((await getWithToken(url, INDEX_PATH, second)).status).toBe(401);
    const third = await login(url);
    expect((await getWithToken(url, INDEX_PATH, third)).status).toBe(200);
    expect(emulator.control.issuedTokens()).toEqual([first, second, third]);
  });

  it('are required on every /v3 endpoint: missing, unknown or non-Bearer answers 401 in plain text', async () => {
    const { url } = await startTestEmulator();
    const paths = [
      INDEX_PATH,
      '/v3/forecast?region=CAISO_NORTH&signal_type=co2_moer',
      '/v3/historical?region=CAISO_NORTH&signal_type=co2_moer&start=2024-06-18T00:00:00Z&end=2024-06-18T01:00:00Z',
      '/v3/forecast/historical?region=CAISO_NORTH&signal_type=co2_moer&start=2024-06-18T00:00:00Z&end=2024-06-18T01:00:00Z',
      '/v3/my-access',
      '/v3/region-from-loc?latitude=38.5&longitude=-121.5&signal_type=co2_moer',
    ];
    const token = await login(url);
    for (const path of paths) {
      const headerSets: Record<string, string>[] = [
        {},
        { authorization: 'Bearer not-a-token' },
        { authorization: basicAuth('demo', 'demo-password') },
      ];
      for (const headers of headerSets) {
        const response = await fetch(`${url}${path}`, { headers });
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
      expect((await getWithToken(url, path, token)).status).toBe(200);
    }
  });
});
