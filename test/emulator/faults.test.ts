import { describe, expect, it } from 'vitest';
import { DEFAULT_FAULTS, INJECTED_WARNING } from '../../emulator/faults';
import { basicAuth, getWithToken, login, startTestEmulator } from './support';

const PATH = '/v3/forecast?region=CAISO_NORTH&signal_type=co2_moer&horizon_hours=0';

async function statuses(url: string, token: string, count: number): Promise<number[]> {
  const result: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await getWithToken(url, PATH, token);
    await response.arrayBuffer();
    result.push(response.status);
  }
  return result;
}

describe('server-error faults', () => {
  it('fail every data call at rate 1 with 503 and an HTML body, even without a token', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    emulator.control.setFaults({ serverErrorRate: 1 });
    for (const auth of [token, 'revoked-or-unknown']) {
      const response = await getWithToken(url, PATH, auth);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toBe(
        '<html><head><title>503</title></head><body><h1>503 Service Error</h1></body></html>',
      );
    }
    // Login is not affected by data-call faults.
    expect(await login(url)).toMatch(/./);
  });

  it('use the configured status and fail exactly every other call at rate 0.5, starting with the next', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    emulator.control.setFaults({ serverErrorRate: 0.5, serverErrorStatus: 502 });
    expect(await statuses(url, token, 6)).toEqual([502, 200, 502, 200, 502, 200]);
    emulator.control.setFaults({ serverErrorRate: 0.25 });
    expect(await statuses(url, token, 8)).toEqual([502, 200, 200, 200, 502, 200, 200, 200]);
    emulator.control.resetFaults();
    expect(await statuses(url, token, 3)).toEqual([200, 200, 200]);
  });

  it('can fail logins separately', async () => {
    const { url, emulator } = await startTestEmulator();
    emulator.control.setFaults({ loginServerErrorRate: 1, serverErrorStatus: 500 });
    const response = await fetch(`${url}/login`, { headers: { authorization: basicAuth('demo', 'demo-password') } });
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('<html>');
    expect(emulator.control.counters()).toMatchObject({ logins: 0, failedLogins: 1 });
    emulator.control.setFaults({ loginServerErrorRate: 0 });
    const token = await login(url);
    // Data calls are not affected by login faults.
    expect(await statuses(url, token, 1)).toEqual([200]);
  });
});

describe('rate-limit faults', () => {
  it('answer 429 with the configured Retry-After', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    emulator.control.setFaults({ rateLimitRate: 1, retryAfterSeconds: 42 });
    const response = await getWithToken(url, PATH, token);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('42');
    emulator.control.setFaults({ rateLimitRate: 0.5 });
    expect(await statuses(url, token, 4)).toEqual([429, 200, 429, 200]);
  });
});

describe('malformed-body faults', () => {
  it('replace successful answers with a cut-short body, then a wrong shape, alternately', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    emulator.control.setFaults({ malformedRate: 1 });
    const bodies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await getWithToken(url, PATH, token);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      bodies.push(await response.text());
    }
    expect(bodies).toEqual([
      '{"data":[{"point_time":"2024-06-18T18:40:00+00:',
      '{"unexpected":"shape","items":null}',
      '{"data":[{"point_time":"2024-06-18T18:40:00+00:',
    ]);
    expect(() => JSON.parse(bodies[0] ?? '')).toThrow();
  });

  it('leave error answers alone', async () => {
    const { url, emulator } = await startTestEmulator();
    await login(url);
    emulator.control.setFaults({ malformedRate: 1 });
    const response = await getWithToken(url, PATH, 'unknown');
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('Unauthorized');
  });
});

describe('latency faults', () => {
  it('delay each data answer by at least latencyMs, and not logins', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    emulator.control.setFaults({ latencyMs: 300 });
    const started = performance.now();
    const response = await getWithToken(url, PATH, token);
    expect(response.status).toBe(200);
    // Only a lower bound is reliable on a busy machine.
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    // A login under a 20 s data latency still answers well before 10 s.
    emulator.control.setFaults({ latencyMs: 20_000 });
    const guard = new Promise<string>((resolve) => setTimeout(() => resolve('delayed'), 10_000).unref());
    expect(await Promise.race([login(url), guard])).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('does not keep close() waiting', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    emulator.control.setFaults({ latencyMs: 60_000 });
    const pending = getWithToken(url, PATH, token).then(
      () => 'answered',
      () => 'connection closed',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await emulator.close();
    expect(await pending).toBe('connection closed');
  });
});

describe('warning faults', () => {
  it('add a WattTime-shaped warning to the meta of successful data answers, on schedule', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    emulator.control.setFaults({ warningRate: 0.5 });
    const warnings: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const body = (await (await getWithToken(url, PATH, token)).json()) as { meta: { warnings: unknown[] } };
      warnings.push(body.meta.warnings);
    }
    expect(warnings).toEqual([[INJECTED_WARNING], [], [INJECTED_WARNING], []]);
    // Answers without a meta are left alone.
    const access = (await (await getWithToken(url, '/v3/my-access', token)).json()) as Record<string, unknown>;
    expect(Object.keys(access)).toEqual(['signal_types']);
  });
});

describe('publication delay', () => {
  it('keeps points out of /v3/historical until they are that old', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    const lastPointTime = async (): Promise<string | undefined> => {
      const range = 'start=2024-06-18T17:00:00Z&end=2024-06-18T19:00:00Z';
      const body = (await (await getWithToken(url, `/v3/historical?region=CAISO_NORTH&signal_type=co2_moer&${range}`, token)).json()) as {
        data: { point_time: string }[];
      };
      return body.data.at(-1)?.point_time;
    };
    // Now is 18:42:30: the current period 18:40 is there at once by default.
    expect(await lastPointTime()).toBe('2024-06-18T18:40:00+00:00');
    // With 30 minutes of delay, the last published period started at or before 18:12:30.
    emulator.control.setFaults({ publicationDelaySeconds: 1800 });
    expect(await lastPointTime()).toBe('2024-06-18T18:10:00+00:00');
  });
});

describe('stuck feed', () => {
  it('keeps answering the forecast and the index for the period current when it got stuck, until it is switched off', async () => {
    const { url, emulator, clock } = await startTestEmulator();
    const token = await login(url);
    const firstPointTime = async (path: string): Promise<string | undefined> =>
      ((await (await getWithToken(url, path, token)).json()) as { data: { point_time: string }[] }).data[0]?.point_time;
    const index = '/v3/signal-index?region=CAISO_NORTH&signal_type=co2_moer';

    emulator.control.setFaults({ stuckFeed: true });
    clock.advance(20 * 60_000);
    // Setting it again, or another fault, keeps it stuck where it was.
    emulator.control.setFaults({ stuckFeed: true, warningRate: 0 });

    // Now is 19:02:30; stuck since 18:42:30, in the 18:40 period.
    expect(await firstPointTime(PATH)).toBe('2024-06-18T18:40:00+00:00');
    expect(await firstPointTime(index)).toBe('2024-06-18T18:40:00+00:00');
    emulator.control.setFaults({ stuckFeed: false });
    expect(await firstPointTime(PATH)).toBe('2024-06-18T19:00:00+00:00');
  });
});

describe('revised historical values', () => {
  it('adds the revision to every /v3/historical value and marks the points imputed as set, when asked for the marker', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    const historical = async (marker: boolean): Promise<{ value: number; imputed_data_used?: boolean }[]> => {
      const range = `start=2024-06-18T18:30:00Z&end=2024-06-18T18:30:00Z${marker ? '&include_imputed_marker=true' : ''}`;
      const body = (await (await getWithToken(url, `/v3/historical?region=CAISO_NORTH&signal_type=co2_moer&${range}`, token)).json()) as {
        data: { value: number; imputed_data_used?: boolean }[];
      };
      return body.data;
    };
    const [live] = await historical(true);
    expect(live?.imputed_data_used).toBe(false);

    emulator.control.setFaults({ historicalRevision: -20.5, historicalImputed: true });

    expect(await historical(true)).toEqual([expect.objectContaining({ value: Math.round(((live?.value ?? 0) - 20.5) * 10) / 10, imputed_data_used: true })]);
    expect((await historical(false))[0]).not.toHaveProperty('imputed_data_used');
  });
});

describe('units override', () => {
  it('names another unit in the meta of signal answers, not of the index', async () => {
    const { url, emulator } = await startTestEmulator();
    const token = await login(url);
    emulator.control.setFaults({ unitsOverride: 'kg_co2_per_mwh' });
    const units = async (path: string): Promise<string> => ((await (await getWithToken(url, path, token)).json()) as { meta: { units: string } }).meta.units;

    expect(await units(PATH)).toBe('kg_co2_per_mwh');
    expect(await units('/v3/signal-index?region=CAISO_NORTH&signal_type=co2_moer')).toBe('percentile');
  });
});

describe('fault settings', () => {
  it('start at the defaults and reject invalid values', async () => {
    const { emulator } = await startTestEmulator();
    expect(DEFAULT_FAULTS).toEqual({
      serverErrorRate: 0,
      serverErrorStatus: 503,
      rateLimitRate: 0,
      retryAfterSeconds: 5,
      malformedRate: 0,
      latencyMs: 0,
      loginServerErrorRate: 0,
      warningRate: 0,
      publicationDelaySeconds: 0,
      stuckFeed: false,
      historicalRevision: 0,
      historicalImputed: false,
      unitsOverride: '',
      forbiddenRate: 0,
    });
    expect(() => emulator.control.setFaults({ serverErrorRate: 1.5 })).toThrow();
    expect(() => emulator.control.setFaults({ serverErrorStatus: 404 })).toThrow();
    expect(() => emulator.control.setFaults({ latencyMs: -1 })).toThrow();
  });
});
