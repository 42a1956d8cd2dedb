import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  FETCH_INTERVAL_SECONDS,
  FETCH_WINDOW_SECONDS,
  FORECAST_HORIZON_HOURS,
  TOKEN_REFRESH_BUFFER_SECONDS,
  WATTTIME_CALLS_PER_5_MINUTES,
  WORKER_MAX_CACHED_WORKFLOWS,
  WORKER_MAX_CONCURRENT_ACTIVITIES,
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
  type WholeNumberRange,
} from '../common/limits';
import type { WattTimeAccount } from '../watttime/session';
import { DEFAULT_TASK_QUEUE, DEFAULT_WATTTIME_BASE_URL, REGION_CODE_PATTERN } from '../common/names';

/** Settings read from the environment, validated once at start-up. */

/** A missing or invalid setting: its message is the one line shown to the operator. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Plain decimal integers only (an optional minus sign and digits): `Number()` would also take
 * `1.5e2`, `0x3c` or `" 120 "`, which no operator means as a number of seconds or a port.
 */
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const integer = (min: number, max: number, fallback: number) => wholeNumber(min, max).default(fallback);

const inRange = (range: WholeNumberRange) => integer(range.min, range.max, range.default);

const port = (fallback: number) => integer(1, 65_535, fallback);

const regionList = z
  .string()
  .transform((value) => value.split(',').map((region) => region.trim()).filter((region) => region.length > 0))
  .pipe(z.array(z.string().regex(REGION_CODE_PATTERN, 'must be comma-separated WattTime region codes like CAISO_NORTH')));

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const temporalShape = {
  TEMPORAL_TASK_QUEUE: z
    .string()
    .regex(/^\S(?:.*\S)?$/, 'must be a task queue name without leading or trailing spaces')
    .default(DEFAULT_TASK_QUEUE),
};

const wattTimeShape = {
  WATTTIME_USERNAME: z.string().min(1),
  // One of the two is required; see `requireLoginOrToken`.
  WATTTIME_PASSWORD: z.string().min(1).optional(),
  WATTTIME_API_TOKEN: z.string().min(1).optional(),
  WATTTIME_BASE_URL: httpUrl.default(DEFAULT_WATTTIME_BASE_URL),
};

const regionsShape = {
  GRID_REGIONS: regionList.default([]),
  FETCH_INTERVAL_SECONDS: inRange(FETCH_INTERVAL_SECONDS),
  FETCH_WINDOW_SECONDS: inRange(FETCH_WINDOW_SECONDS),
  FORECAST_HORIZON_HOURS: inRange(FORECAST_HORIZON_HOURS),
};

/**
 * What `start` gives each new region workflow. The refresh buffer is the workflow's alone: it
 * decides when to ask for a fresh token, so the worker does not read it.
 */
const scheduleShape = {
  ...regionsShape,
  TOKEN_REFRESH_BUFFER_SECONDS: inRange(TOKEN_REFRESH_BUFFER_SECONDS),
};

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

const influxShape = {
  INFLUXDB_URL: httpUrl,
  INFLUXDB_TOKEN: z.string().min(1),
  INFLUXDB_ORG: z.string().min(1),
  INFLUXDB_BUCKET: z.string().min(1),
};

const workerSchema = z.object({
  ...temporalShape,
  ...wattTimeShape,
  ...regionsShape,
  ...influxShape,
  // The worker's budget for the account's data calls; `start`'s few calls need none.
  WATTTIME_CALLS_PER_5_MINUTES: inRange(WATTTIME_CALLS_PER_5_MINUTES),
  // Worker sizing for thousands of regions (README "Operating at scale"); the SDK's defaults otherwise.
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: inRange(WORKER_MAX_CONCURRENT_WORKFLOW_TASKS),
  WORKER_MAX_CONCURRENT_ACTIVITIES: inRange(WORKER_MAX_CONCURRENT_ACTIVITIES),
  WORKER_MAX_CACHED_WORKFLOWS: wholeNumber(WORKER_MAX_CACHED_WORKFLOWS.min, WORKER_MAX_CACHED_WORKFLOWS.max).optional(),
  HEALTH_PORT: port(8010),
  METRICS_PORT: port(9464),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
});

const clientSchema = z.object({ ...temporalShape, ...scheduleShape });
const wattTimeSchema = z.object(wattTimeShape);
const influxSchema = z.object(influxShape);

export type WorkerSettings = z.infer<typeof workerSchema>;
export type ClientSettings = z.infer<typeof clientSchema>;
export type WattTimeSettings = z.infer<typeof wattTimeSchema>;
export type InfluxSettings = z.infer<typeof influxSchema>;

const secretVariables = ['WATTTIME_PASSWORD', 'WATTTIME_API_TOKEN', 'INFLUXDB_TOKEN'] as const;

/** Variables of which at least one must be set: a password to log in with, or a static token. */
const ONE_OF_WATTTIME_SECRETS = ['WATTTIME_PASSWORD', 'WATTTIME_API_TOKEN'] as const;

function requireLoginOrToken<Settings extends WattTimeSettings>(settings: Settings): Settings {
  if (settings.WATTTIME_PASSWORD === undefined && settings.WATTTIME_API_TOKEN === undefined) {
    throw new ConfigError('WATTTIME_PASSWORD is required (or WATTTIME_PASSWORD_FILE, or a static WATTTIME_API_TOKEN)');
  }
  return settings;
}

export function loadWorkerSettings(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  return requireLoginOrToken(parse(workerSchema, env));
}

export function loadClientSettings(env: NodeJS.ProcessEnv = process.env): ClientSettings {
  return parse(clientSchema, env);
}

/** The WattTime account the settings name, for the worker's and the client's `WattTimeSession`. */
export function wattTimeAccount(settings: WattTimeSettings): WattTimeAccount {
  return {
    username: settings.WATTTIME_USERNAME,
    ...(settings.WATTTIME_PASSWORD === undefined ? {} : { password: settings.WATTTIME_PASSWORD }),
    ...(settings.WATTTIME_API_TOKEN === undefined ? {} : { apiToken: settings.WATTTIME_API_TOKEN }),
  };
}

/** The WattTime account, for client commands that talk to WattTime (`start` checks the plan). */
export function loadWattTimeSettings(env: NodeJS.ProcessEnv = process.env): WattTimeSettings {
  return requireLoginOrToken(parse(wattTimeSchema, env));
}

/** Where the readings are, for client commands that read them (`best-window`, `emissions`). */
export function loadInfluxSettings(env: NodeJS.ProcessEnv = process.env): InfluxSettings {
  return parse(influxSchema, env);
}

function parse<Schema extends z.ZodObject>(schema: Schema, env: NodeJS.ProcessEnv): z.infer<Schema> {
  const values: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) values[key] = env[key] === '' ? undefined : env[key];
  for (const name of secretVariables) if (name in schema.shape) values[name] = readSecretVariable(env, name);
  if ('WATTTIME_USERNAME' in schema.shape) values['WATTTIME_USERNAME'] = readWattTimeUsername(env);
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  // The first problem, as one line naming the variable; never echo a value (it may be a secret).
  const issue = result.error.issues[0];
  const variable = String(issue?.path[0] ?? 'configuration');
  const missing = values[variable] === undefined;
  const secret = (secretVariables as readonly string[]).includes(variable);
  const reason = missing ? `is required${secret ? ` (or ${variable}_FILE)` : ''}` : (issue?.message ?? 'is invalid');
  throw new ConfigError(`${variable} ${reason}`);
}

/**
 * Names of the variables the worker reads, split by whether start-up fails without them;
 * `oneOf` lists groups of optional variables of which start-up needs at least one.
 */
export function workerVariables(): { required: string[]; optional: string[]; oneOf: string[][] } {
  const names = Object.keys(workerSchema.shape) as (keyof typeof workerSchema.shape)[];
  const required = names.filter((name) => !workerSchema.shape[name].safeParse(undefined).success);
  const optional = names.filter((name) => !required.includes(name));
  return { required, optional: [...optional, 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE'], oneOf: [[...ONE_OF_WATTTIME_SECRETS]] };
}

/**
 * `WATTTIME_USERNAME`, or `WATTTIME_USER` as WattTime's own Python client names it. Both set to
 * different accounts is ambiguous and refused (the values are not echoed).
 */
function readWattTimeUsername(env: NodeJS.ProcessEnv): string | undefined {
  const username = env['WATTTIME_USERNAME'] || undefined;
  const user = env['WATTTIME_USER'] || undefined;
  if (username !== undefined && user !== undefined && username !== user) {
    throw new ConfigError('WATTTIME_USERNAME and WATTTIME_USER name different accounts; set only one.');
  }
  return username ?? user;
}

/** Secret variables that may instead be given as `<NAME>_FILE`. */
export const secretFileVariables: readonly string[] = secretVariables;

/**
 * The value of `name`, or the trimmed contents of the file named by `name_FILE` (Docker secrets).
 * Setting both is ambiguous and refused.
 */
function readSecretVariable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) throw new ConfigError(`${name} and ${name}_FILE are both set; set only one.`);
  if (!file) return direct || undefined;
  try {
    const value = readFileSync(file, 'utf8').trim();
    if (!value) throw new ConfigError(`${name}_FILE=${file} is empty.`);
    return value;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${name}_FILE=${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}
