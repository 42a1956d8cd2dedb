import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULTS } from '../../emulator/faults';
import { basicAuth, getWithToken, login, startTestEmulator } from './support';

const INDEX = '/v3/signal-index?region=CAISO_NORTH&signal_type=co2_moer';

function post(url: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('counters', () => {
  it('count logins, calls per endpoint path and answers per status, exactly', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    await fetch(`${url}/login`, { headers: { authorization: basicAuth('demo', 'nope') } });
    await getWithToken(url, INDEX, token);
    await getWithToken(url, INDEX, 'bad');
    await getWithToken(url, '/v3/forecast?region=PJM_DC&signal_type=co2_moer', token);
    await getWithToken(url, '/v3/my-access', token);
    await fetch(`${url}/nowhere`);
    await fetch(`${url}/_emulator/counters`);
    expect(emulator.control.counters()).toEqual({
      logins: 1,
      failedLogins: 1,
      callsByEndpoint: { '/login': 2, '/v3/signal-index': 2, '/v3/forecast': 1, '/v3/my-access': 1, '/nowhere': 1 },
      answersByStatus: { '200': 3, '401': 1, '403': 2, '404': 1 },
    });
    emulator.control.resetCounters();
    expect(emulator.control.counters()).toEqual({ logins: 0, failedLogins: 0, callsByEndpoint: {}, answersByStatus: {} });
  });

  it('return snapshots that later calls do not change', async () => {
    const { url, emulator } = await startTestEmulator();
    const before = emulator.control.counters();
    await login(url);
    expect(before).toEqual({ logins: 0, failedLogins: 0, callsByEndpoint: {}, answersByStatus: {} });
  });
});

describe('x-request-id', () => {
  it('is on every answer, API and control, success and failure, and unique', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    const responses: Response[] = [
      await fetch(`${url}/login`, { headers: { authorization: basicAuth('demo', 'demo-password') } }),
      await fetch(`${url}/login`, { headers: { authorization: basicAuth('demo', 'x') } }),
      await fetch(`${url}/login`),
      await fetch(`${url}/login`, { method: 'POST' }),
      await getWithToken(url, INDEX, token),
      await getWithToken(url, INDEX, 'bad'),
      await getWithToken(url, '/v3/forecast?region=PJM_DC&signal_type=co2_moer', token),
      await getWithToken(url, '/v3/forecast?region=CAISO_NORTH', token),
      await getWithToken(url, '/v3/historical?region=CAISO_NORTH&signal_type=co2_moer&start=x&end=y', token),
      await getWithToken(url, '/v3/region-from-loc?latitude=0&longitude=0&signal_type=co2_moer', token),
      await fetch(`${url}/v3/unknown`),
      await fetch(`${url}/_emulator/counters`),
      await fetch(`${url}/_emulator/nothing`),
    ];
    emulator.control.setFaults({ serverErrorRate: 1 });
    responses.push(await getWithToken(url, INDEX, token));
    emulator.control.setFaults({ serverErrorRate: 0, rateLimitRate: 1 });
    responses.push(await getWithToken(url, INDEX, token));
    emulator.control.setFaults({ rateLimitRate: 0, malformedRate: 1 });
    responses.push(await getWithToken(url, INDEX, token));

    expect(responses.map((r) => r.status)).toEqual([200, 403, 401, 405, 200, 401, 403, 400, 422, 404, 404, 200, 404, 503, 429, 200]);
    const ids = responses.map((r) => r.headers.get('x-request-id') ?? '');
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('control over HTTP under /_emulator/', () => {
  it('POST /_emulator/revoke-tokens makes every issued token answer 401', async () => {
    const { url } = await startTestEmulator();
    const token = await login(url);
    await login(url);
    const response = await post(url, '/_emulator/revoke-tokens');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ revoked: 2 });
    expect((await getWithToken(url, INDEX, token)).status).toBe(401);
  });

  it('POST /_emulator/faults merges partial settings, GET shows them, POST /_emulator/reset clears them', async () => {
    const { url } = await startTestEmulator();
    const token = await login(url);
    const set = await post(url, '/_emulator/faults', { serverErrorRate: 1, serverErrorStatus: 504 });
    expect(await set.json()).toEqual({ ...DEFAULT_FAULTS, serverErrorRate: 1, serverErrorStatus: 504 });
    await post(url, '/_emulator/faults', { retryAfterSeconds: 9 });
    expect(await (await fetch(`${url}/_emulator/faults`)).json()).toMatchObject({ serverErrorStatus: 504, retryAfterSeconds: 9 });
    expect((await getWithToken(url, INDEX, token)).status).toBe(504);

    const reset = await post(url, '/_emulator/reset');
    expect(await reset.json()).toEqual({
      faults: DEFAULT_FAULTS,
      counters: { logins: 0, failedLogins: 0, callsByEndpoint: {}, answersByStatus: {} },
    });
    expect((await getWithToken(url, INDEX, token)).status).toBe(200);
  });

  it('POST /_emulator/faults answers 400 for invalid values, unknown keys and non-JSON', async () => {
    const { url } = await startTestEmulator();
    for (const body of [{ serverErrorRate: 2 }, { serverErrorRat: 1 }, { latencyMs: 'slow' }]) {
      const response = await post(url, '/_emulator/faults', body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_body' });
    }
    const notJson = await fetch(`${url}/_emulator/faults`, { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'invalid_body', message: 'The body is not JSON' });
  });

  it('GET /_emulator/counters and /_emulator/issued-tokens report what happened', async () => {
    const { url } = await startTestEmulator();
    const token = await login(url);
    expect(await (await fetch(`${url}/_emulator/counters`)).json()).toEqual({
      logins: 1,
      failedLogins: 0,
      callsByEndpoint: { '/login': 1 },
      answersByStatus: { '200': 1 },
    });
    expect(await (await fetch(`${url}/_emulator/issued-tokens`)).json()).toEqual({ tokens: [token] });
  });

  it('POST /_emulator/accounts adds an account with its plan', async () => {
    const { url } = await startTestEmulator();
    const response = await post(url, '/_emulator/accounts', { username: 'paid', password: 'pw', regions: ['BPA'] });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ username: 'paid', regions: ['BPA'] });
    const token = await login(url, 'paid', 'pw');
    expect((await getWithToken(url, '/v3/forecast?region=BPA&signal_type=co2_moer', token)).status).toBe(200);

    const bad = await post(url, '/_emulator/accounts', { username: 'x', password: 'pw', regions: ['ATLANTIS'] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_body', message: '✖ unknown region\n  → at regions[0]' });
  });

  it('POST /_emulator/token-ttl sets the lifetime of new tokens', async () => {
    const { url, clock } = await startTestEmulator();
    const response = await post(url, '/_emulator/token-ttl', { seconds: 5 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ seconds: 5 });
    const token = await login(url);
    clock.advance(4_999);
    expect((await getWithToken(url, INDEX, token)).status).toBe(200);
    clock.advance(1);
    expect((await getWithToken(url, INDEX, token)).status).toBe(401);
    expect((await post(url, '/_emulator/token-ttl', { seconds: 0 })).status).toBe(400);
  });

  it('answers 405 for a wrong method and 404 for an unknown control path, and counts neither', async () => {
    const { url, emulator } = await startTestEmulator();
    expect((await fetch(`${url}/_emulator/revoke-tokens`)).status).toBe(405);
    expect((await post(url, '/_emulator/self-destruct')).status).toBe(404);
    expect(emulator.control.counters()).toEqual({ logins: 0, failedLogins: 0, callsByEndpoint: {}, answersByStatus: {} });
  });
});
