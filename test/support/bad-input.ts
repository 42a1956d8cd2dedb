/**
 * The bad-input table, shared by the unit tier (the parsers themselves) and the e2e tier (the
 * worker and client processes): every variable, the client's arguments and the `setInterval`
 * update validator, each with the exact one line it must be refused with.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A variable set to a bad value (`undefined`: left unset) and the line the worker or client prints. */
export interface VariableCase {
  readonly variable: string;
  readonly value: string | undefined;
  readonly message: string;
  /** Other variables the case needs (e.g. the `_FILE` twin), or `undefined` to unset one. */
  readonly with?: Readonly<Record<string, string | undefined>>;
}

const files = mkdtempSync(join(tmpdir(), 'bad-input-'));
const emptyFile = join(files, 'empty');
writeFileSync(emptyFile, '\n');
const secretFile = join(files, 'secret');
writeFileSync(secretFile, 'from-a-file\n');
const missingFile = join(files, 'missing');

/** A complete, valid worker environment for the cases to spoil one variable of. */
export const VALID_WORKER_ENV: Readonly<Record<string, string>> = {
  WATTTIME_USERNAME: 'ops',
  WATTTIME_PASSWORD: 'bad-input-test-secret',
  INFLUXDB_URL: 'http://127.0.0.1:8086',
  INFLUXDB_TOKEN: 'influx-bad-input-secret',
  INFLUXDB_ORG: 'carbon',
  INFLUXDB_BUCKET: 'carbon',
};

const wholeNumber = (variable: string): string => `${variable} must be a whole number`;

/** Variables both the worker and the client read (schedule and task queue). */
export const SHARED_VARIABLE_CASES: readonly VariableCase[] = [
  { variable: 'TEMPORAL_TASK_QUEUE', value: ' carbon-intensity', message: 'TEMPORAL_TASK_QUEUE must be a task queue name without leading or trailing spaces' },
  { variable: 'GRID_REGIONS', value: 'CAISO_NORTH,pjm_dc', message: 'GRID_REGIONS must be comma-separated WattTime region codes like CAISO_NORTH' },
  { variable: 'GRID_REGIONS', value: 'PJM DC', message: 'GRID_REGIONS must be comma-separated WattTime region codes like CAISO_NORTH' },
  { variable: 'FETCH_INTERVAL_SECONDS', value: '1.5e2', message: wholeNumber('FETCH_INTERVAL_SECONDS') },
  { variable: 'FETCH_INTERVAL_SECONDS', value: '0x3c', message: wholeNumber('FETCH_INTERVAL_SECONDS') },
  { variable: 'FETCH_INTERVAL_SECONDS', value: ' 120 ', message: wholeNumber('FETCH_INTERVAL_SECONDS') },
  { variable: 'FETCH_INTERVAL_SECONDS', value: 'often', message: wholeNumber('FETCH_INTERVAL_SECONDS') },
  { variable: 'FETCH_INTERVAL_SECONDS', value: '59', message: 'FETCH_INTERVAL_SECONDS must be at least 60' },
  { variable: 'FETCH_INTERVAL_SECONDS', value: '3601', message: 'FETCH_INTERVAL_SECONDS must be at most 3600' },
  { variable: 'FORECAST_HORIZON_HOURS', value: '-1', message: 'FORECAST_HORIZON_HOURS must be at least 0' },
  { variable: 'FORECAST_HORIZON_HOURS', value: '73', message: 'FORECAST_HORIZON_HOURS must be at most 72' },
  { variable: 'FORECAST_HORIZON_HOURS', value: '24h', message: wholeNumber('FORECAST_HORIZON_HOURS') },
  { variable: 'FETCH_WINDOW_SECONDS', value: '241', message: 'FETCH_WINDOW_SECONDS must be at most 240' },
  { variable: 'FETCH_WINDOW_SECONDS', value: '-1', message: 'FETCH_WINDOW_SECONDS must be at least 0' },
  { variable: 'FETCH_WINDOW_SECONDS', value: '2m', message: wholeNumber('FETCH_WINDOW_SECONDS') },
];

/** Every variable the worker reads (`workerVariables()` and the `*_FILE` twins), each refused in one line. */
export const WORKER_VARIABLE_CASES: readonly VariableCase[] = [
  { variable: 'WATTTIME_USERNAME', value: undefined, message: 'WATTTIME_USERNAME is required' },
  {
    variable: 'WATTTIME_PASSWORD',
    value: undefined,
    message: 'WATTTIME_PASSWORD is required (or WATTTIME_PASSWORD_FILE, or a static WATTTIME_API_TOKEN)',
  },
  {
    variable: 'WATTTIME_PASSWORD_FILE',
    value: missingFile,
    with: { WATTTIME_PASSWORD: undefined },
    message: `WATTTIME_PASSWORD_FILE=${missingFile} cannot be read (ENOENT).`,
  },
  {
    variable: 'WATTTIME_API_TOKEN',
    value: 'static-token',
    with: { WATTTIME_API_TOKEN_FILE: secretFile },
    message: 'WATTTIME_API_TOKEN and WATTTIME_API_TOKEN_FILE are both set; set only one.',
  },
  { variable: 'WATTTIME_API_TOKEN_FILE', value: emptyFile, message: `WATTTIME_API_TOKEN_FILE=${emptyFile} is empty.` },
  { variable: 'WATTTIME_BASE_URL', value: 'api.watttime.org', message: 'WATTTIME_BASE_URL must be an http(s) URL' },
  { variable: 'INFLUXDB_URL', value: 'influx:8086', message: 'INFLUXDB_URL must be an http(s) URL' },
  { variable: 'INFLUXDB_TOKEN', value: undefined, message: 'INFLUXDB_TOKEN is required (or INFLUXDB_TOKEN_FILE)' },
  {
    variable: 'INFLUXDB_TOKEN_FILE',
    value: secretFile,
    message: 'INFLUXDB_TOKEN and INFLUXDB_TOKEN_FILE are both set; set only one.',
  },
  { variable: 'INFLUXDB_ORG', value: undefined, message: 'INFLUXDB_ORG is required' },
  { variable: 'INFLUXDB_BUCKET', value: undefined, message: 'INFLUXDB_BUCKET is required' },
  ...SHARED_VARIABLE_CASES,
  { variable: 'WATTTIME_CALLS_PER_5_MINUTES', value: '0', message: 'WATTTIME_CALLS_PER_5_MINUTES must be at least 1' },
  { variable: 'WATTTIME_CALLS_PER_5_MINUTES', value: '3,000', message: wholeNumber('WATTTIME_CALLS_PER_5_MINUTES') },
  { variable: 'WORKER_MAX_CACHED_WORKFLOWS', value: '1', message: 'WORKER_MAX_CACHED_WORKFLOWS must be at least 2' },
  { variable: 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', value: '40.5', message: wholeNumber('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS') },
  { variable: 'WORKER_MAX_CONCURRENT_ACTIVITIES', value: '10001', message: 'WORKER_MAX_CONCURRENT_ACTIVITIES must be at most 10000' },
  { variable: 'HEALTH_PORT', value: '0', message: 'HEALTH_PORT must be at least 1' },
  { variable: 'HEALTH_PORT', value: '80 80', message: wholeNumber('HEALTH_PORT') },
  { variable: 'METRICS_PORT', value: '65536', message: 'METRICS_PORT must be at most 65535' },
  { variable: 'METRICS_PORT', value: 'http', message: wholeNumber('METRICS_PORT') },
  { variable: 'LOG_LEVEL', value: 'verbose', message: 'LOG_LEVEL must be one of trace, debug, info, warn, error' },
  {
    variable: 'TEMPORAL_ADDRESS',
    value: 'not a host:7233',
    message: 'TEMPORAL_ADDRESS must be host:port, like localhost:7233 or temporal.example.com:7233, got "not a host:7233"',
  },
  {
    variable: 'TEMPORAL_ADDRESS',
    value: 'localhost:99999',
    message: 'TEMPORAL_ADDRESS must be host:port, like localhost:7233 or temporal.example.com:7233, got "localhost:99999"',
  },
];

/** The variable only the client reads (the workflows' refresh buffer). */
export const CLIENT_ONLY_VARIABLE_CASES: readonly VariableCase[] = [
  { variable: 'TOKEN_REFRESH_BUFFER_SECONDS', value: '1501', message: 'TOKEN_REFRESH_BUFFER_SECONDS must be at most 1500' },
  { variable: 'TOKEN_REFRESH_BUFFER_SECONDS', value: '-5', message: 'TOKEN_REFRESH_BUFFER_SECONDS must be at least 0' },
  { variable: 'TOKEN_REFRESH_BUFFER_SECONDS', value: '300s', message: wholeNumber('TOKEN_REFRESH_BUFFER_SECONDS') },
];

/** `REGION` stands for a region the test started; the client must refuse before asking anything. */
export interface ArgumentCase {
  readonly args: readonly string[];
  readonly message: string;
}

const notARegion = (quoted: string): string =>
  `${quoted} is not a region code: WattTime region codes are upper-case letters, digits and underscores, like CAISO_NORTH`;

/** The client's arguments, refused locally: one line on stderr, exit 1, no login, nothing started or changed. */
export const CLIENT_ARGUMENT_CASES: readonly ArgumentCase[] = [
  { args: ['start', 'PJM DC'], message: notARegion('"PJM DC"') },
  { args: ['start', 'pjm_dc'], message: notARegion('"pjm_dc"') },
  { args: ['start', ''], message: notARegion('""') },
  { args: ['start', 'PJM_DC\nCAISO_NORTH'], message: notARegion('"PJM_DC\\nCAISO_NORTH"') },
  { args: ['start', 'REGION', 'pjm_dc'], message: notARegion('"pjm_dc"') },
  {
    args: ['start', '--signal-type', 'co2 moer', 'REGION'],
    message: `unknown signal type "co2 moer": WattTime's signal types are co2_moer, co2_aoer, health_damage`,
  },
  { args: ['interval', 'REGION', 'abc'], message: 'seconds must be a whole number (60-3600), got "abc"' },
  { args: ['interval', 'REGION', '1.5e2'], message: 'seconds must be a whole number (60-3600), got "1.5e2"' },
  { args: ['interval', 'REGION', '0x3c'], message: 'seconds must be a whole number (60-3600), got "0x3c"' },
  { args: ['interval', 'REGION', '90.5'], message: 'seconds must be a whole number (60-3600), got "90.5"' },
  { args: ['interval', 'pjm dc', '60'], message: notARegion('"pjm dc"') },
  { args: ['interval', 'REGION'], message: "error: missing required argument 'seconds'" },
  { args: ['interval', 'REGION', '60', '120'], message: "error: too many arguments for 'interval'. Expected 2 arguments but got 3." },
  { args: ['refresh', 'pjm_dc'], message: notARegion('"pjm_dc"') },
  { args: ['health', 'PJM DC'], message: notARegion('"PJM DC"') },
  { args: ['pause', 'REGION', 'x'], message: notARegion('"x"') },
  { args: ['resume', 'Region'], message: notARegion('"Region"') },
  { args: ['stop', 'REGION-2'], message: notARegion('"REGION-2"') },
  { args: ['frobnicate'], message: "error: unknown command 'frobnicate'" },
];

/** `setInterval` values the workflow's update validator refuses, and its line. */
export const INTERVAL_UPDATE_CASES: readonly { seconds: number; message: string }[] = [
  { seconds: 59, message: 'intervalSeconds must be between 60 and 3600, got 59' },
  { seconds: 3601, message: 'intervalSeconds must be between 60 and 3600, got 3601' },
  { seconds: -300, message: 'intervalSeconds must be between 60 and 3600, got -300' },
  { seconds: 0, message: 'intervalSeconds must be between 60 and 3600, got 0' },
  { seconds: 90.5, message: 'intervalSeconds must be a whole number of seconds, got 90.5' },
];

/** `env` with the case applied: its variable (and companions) set or unset. */
export function spoiled(env: Readonly<Record<string, string>>, badCase: VariableCase): Record<string, string | undefined> {
  return { ...env, ...badCase.with, [badCase.variable]: badCase.value };
}
