import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadClientSettings, loadWattTimeSettings, loadWorkerSettings } from '../../config/settings';

const complete = {
  WATTTIME_USERNAME: 'ops',
  WATTTIME_PASSWORD: 'hunter2-secret',
  INFLUXDB_URL: 'http://127.0.0.1:8086',
  INFLUXDB_TOKEN: 'influx-secret-token',
  INFLUXDB_ORG: 'carbon',
  INFLUXDB_BUCKET: 'carbon_intensity',
};

function failure(env: NodeJS.ProcessEnv): string {
  try {
    loadWorkerSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('worker settings', () => {
  it('applies the documented defaults', () => {
    expect(loadWorkerSettings(complete)).toMatchObject({
      WATTTIME_BASE_URL: 'https://api.watttime.org',
      TEMPORAL_TASK_QUEUE: 'carbon-intensity',
      GRID_REGIONS: [],
      FETCH_INTERVAL_SECONDS: 300,
      FETCH_WINDOW_SECONDS: 120,
      FORECAST_HORIZON_HOURS: 24,
      WATTTIME_CALLS_PER_5_MINUTES: 3000,
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 40,
      WORKER_MAX_CONCURRENT_ACTIVITIES: 100,
      HEALTH_PORT: 8010,
      METRICS_PORT: 9464,
    });
    // Unset, the SDK sizes the workflow cache from the heap.
    expect(loadWorkerSettings(complete).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(loadWorkerSettings({ ...complete, WORKER_MAX_CACHED_WORKFLOWS: '4000' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(4000);
  });

  it.each([
    ['WATTTIME_USERNAME', undefined, 'WATTTIME_USERNAME is required'],
    ['WATTTIME_PASSWORD', '', 'WATTTIME_PASSWORD is required (or WATTTIME_PASSWORD_FILE, or a static WATTTIME_API_TOKEN)'],
    ['INFLUXDB_URL', 'influx:8086', 'INFLUXDB_URL must be an http(s) URL'],
    ['FETCH_INTERVAL_SECONDS', 'often', 'FETCH_INTERVAL_SECONDS must be a whole number'],
    ['FETCH_INTERVAL_SECONDS', '30', 'FETCH_INTERVAL_SECONDS must be at least 60'],
    ['FORECAST_HORIZON_HOURS', '73', 'FORECAST_HORIZON_HOURS must be at most 72'],
    ['FETCH_WINDOW_SECONDS', '241', 'FETCH_WINDOW_SECONDS must be at most 240'],
    ['WATTTIME_CALLS_PER_5_MINUTES', '0', 'WATTTIME_CALLS_PER_5_MINUTES must be at least 1'],
    ['WATTTIME_CALLS_PER_5_MINUTES', '1.5e3', 'WATTTIME_CALLS_PER_5_MINUTES must be a whole number'],
    ['WORKER_MAX_CACHED_WORKFLOWS', '1', 'WORKER_MAX_CACHED_WORKFLOWS must be at least 2'],
    ['WORKER_MAX_CONCURRENT_ACTIVITIES', '0', 'WORKER_MAX_CONCURRENT_ACTIVITIES must be at least 1'],
    ['WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', 'many', 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS must be a whole number'],
    ['GRID_REGIONS', 'caiso north', 'GRID_REGIONS must be comma-separated WattTime region codes like CAISO_NORTH'],
    ['HEALTH_PORT', '70000', 'HEALTH_PORT must be at most 65535'],
  ])('%s=%s fails with one line naming it', (name, value, message) => {
    expect(failure({ ...complete, [name]: value })).toBe(message);
  });

  it('accepts a static WATTTIME_API_TOKEN instead of the password, also from a file', () => {
    const { WATTTIME_PASSWORD: _omit, ...withoutPassword } = complete;
    expect(loadWorkerSettings({ ...withoutPassword, WATTTIME_API_TOKEN: 'static-token' })).toMatchObject({
      WATTTIME_API_TOKEN: 'static-token',
      WATTTIME_PASSWORD: undefined,
    });
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'token'), 'file-token\n');
    expect(loadWorkerSettings({ ...withoutPassword, WATTTIME_API_TOKEN_FILE: join(dir, 'token') }).WATTTIME_API_TOKEN).toBe('file-token');
  });

  it('parses a region list', () => {
    expect(loadWorkerSettings({ ...complete, GRID_REGIONS: ' CAISO_NORTH,PJM_DC ,' }).GRID_REGIONS).toEqual([
      'CAISO_NORTH',
      'PJM_DC',
    ]);
  });

  it('reads secrets from *_FILE variables and never echoes a value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    writeFileSync(join(dir, 'password'), 'file-secret\n');
    const { WATTTIME_PASSWORD: _omit, ...withoutPassword } = complete;
    expect(loadWorkerSettings({ ...withoutPassword, WATTTIME_PASSWORD_FILE: join(dir, 'password') }).WATTTIME_PASSWORD).toBe(
      'file-secret',
    );
    expect(failure({ ...complete, WATTTIME_PASSWORD_FILE: join(dir, 'password') })).toBe(
      'WATTTIME_PASSWORD and WATTTIME_PASSWORD_FILE are both set; set only one.',
    );
    expect(failure({ ...withoutPassword, WATTTIME_PASSWORD_FILE: join(dir, 'missing') })).toBe(
      `WATTTIME_PASSWORD_FILE=${join(dir, 'missing')} cannot be read (ENOENT).`,
    );
    expect(failure({ ...complete, INFLUXDB_URL: 'hunter2-secret' })).not.toContain('hunter2-secret');
  });
});

describe('WATTTIME_USER, the name WattTime\'s own client uses', () => {
  const { WATTTIME_USERNAME: _omit, ...withoutUsername } = complete;

  it('names the account for the worker and for `start`, as WATTTIME_USERNAME does', () => {
    expect(loadWorkerSettings({ ...withoutUsername, WATTTIME_USER: 'ops-alias' }).WATTTIME_USERNAME).toBe('ops-alias');
    expect(loadWattTimeSettings({ WATTTIME_USER: 'ops-alias', WATTTIME_PASSWORD: 'x' }).WATTTIME_USERNAME).toBe('ops-alias');
  });

  it('may repeat WATTTIME_USERNAME, but naming another account is one line naming both', () => {
    expect(loadWorkerSettings({ ...complete, WATTTIME_USER: 'ops' }).WATTTIME_USERNAME).toBe('ops');
    const both = 'WATTTIME_USERNAME and WATTTIME_USER name different accounts; set only one.';
    expect(failure({ ...complete, WATTTIME_USER: 'someone-else' })).toBe(both);
    expect(() => loadWattTimeSettings({ WATTTIME_USERNAME: 'ops', WATTTIME_USER: 'someone-else', WATTTIME_PASSWORD: 'x' })).toThrow(
      new ConfigError(both),
    );
  });

  it('leaves the account required when neither is set, and ignores an empty one', () => {
    expect(failure({ ...withoutUsername, WATTTIME_USER: '' })).toBe('WATTTIME_USERNAME is required');
    expect(loadWorkerSettings({ ...complete, WATTTIME_USER: '' }).WATTTIME_USERNAME).toBe('ops');
  });

  it('is not read by the client commands that need no WattTime account', () => {
    expect(loadClientSettings({ WATTTIME_USERNAME: 'ops', WATTTIME_USER: 'someone-else' }).GRID_REGIONS).toEqual([]);
  });
});

describe('client settings', () => {
  it('apply the documented schedule defaults for new regions', () => {
    expect(loadClientSettings({})).toMatchObject({
      TEMPORAL_TASK_QUEUE: 'carbon-intensity',
      FETCH_INTERVAL_SECONDS: 300,
      FETCH_WINDOW_SECONDS: 120,
      TOKEN_REFRESH_BUFFER_SECONDS: 300,
      FORECAST_HORIZON_HOURS: 24,
    });
  });

  it('refuse a refresh buffer the token lifetime leaves no room for, which only the workflows use', () => {
    expect(() => loadClientSettings({ TOKEN_REFRESH_BUFFER_SECONDS: '1501' })).toThrow(
      new ConfigError('TOKEN_REFRESH_BUFFER_SECONDS must be at most 1500'),
    );
    expect(loadWorkerSettings({ ...complete, TOKEN_REFRESH_BUFFER_SECONDS: '1501' })).not.toHaveProperty('TOKEN_REFRESH_BUFFER_SECONDS');
  });

  it('need neither WattTime nor InfluxDB, which only `start` and the worker use', () => {
    expect(loadClientSettings({}).GRID_REGIONS).toEqual([]);
    expect(loadClientSettings({ GRID_REGIONS: 'PJM_DC' }).GRID_REGIONS).toEqual(['PJM_DC']);
  });

  it('read the WattTime account only when asked', () => {
    expect(loadWattTimeSettings({ WATTTIME_USERNAME: 'ops', WATTTIME_PASSWORD: 'x' }).WATTTIME_BASE_URL).toBe(
      'https://api.watttime.org',
    );
    expect(() => loadWattTimeSettings({ WATTTIME_USERNAME: 'ops' })).toThrow(
      'WATTTIME_PASSWORD is required (or WATTTIME_PASSWORD_FILE, or a static WATTTIME_API_TOKEN)',
    );
    expect(loadWattTimeSettings({ WATTTIME_USERNAME: 'ops', WATTTIME_API_TOKEN: 'static' })).toMatchObject({
      WATTTIME_API_TOKEN: 'static',
      WATTTIME_PASSWORD: undefined,
    });
  });
});
