/**
 * The bad-input table on the parsers themselves: every variable, the client's arguments and the
 * `setInterval` validator, each refused with its exact one line (test/e2e/bad-input.test.ts runs
 * the same table through the worker and client processes).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, intervalSeconds, regionCodes, signalType } from '../../client/arguments';
import { ConfigError, loadClientSettings, loadWorkerSettings, secretFileVariables, workerVariables } from '../../config/settings';
import { temporalAddressProblem } from '../../config/temporal-config';
import { intervalProblem } from '../../workflows/schedule';
import {
  CLIENT_ARGUMENT_CASES,
  CLIENT_ONLY_VARIABLE_CASES,
  INTERVAL_UPDATE_CASES,
  SHARED_VARIABLE_CASES,
  spoiled,
  VALID_WORKER_ENV,
  WORKER_VARIABLE_CASES,
  type VariableCase,
} from '../support/bad-input';

/** What the worker's start-up does with the environment before it dials anything. */
function loadAsWorker(env: Record<string, string | undefined>): void {
  loadWorkerSettings(env);
  const problem = temporalAddressProblem(env['TEMPORAL_ADDRESS'] ?? 'localhost:7233');
  if (problem !== undefined) throw new ConfigError(problem);
}

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('every variable', () => {
  it('the table covers every variable the worker and the client read, and their *_FILE twins', () => {
    const { required, optional } = workerVariables();
    // Any TEMPORAL_NAMESPACE is well-formed; one the server does not have is refused in
    // test/e2e/worker-config.test.ts, against the dev server.
    const covered = new Set([...WORKER_VARIABLE_CASES, ...CLIENT_ONLY_VARIABLE_CASES].map((c) => c.variable).concat('TEMPORAL_NAMESPACE'));
    for (const variable of [...required, ...optional, 'TOKEN_REFRESH_BUFFER_SECONDS', ...secretFileVariables.map((name) => `${name}_FILE`)]) {
      expect(covered, variable).toContain(variable);
    }
  });

  it.each(WORKER_VARIABLE_CASES.map((c): [string, string, VariableCase] => [c.variable, JSON.stringify(c.value ?? null), c]))(
    'worker: %s=%s is refused with one line naming it',
    (_variable, _value, badCase) => {
      const message = refusal(() => loadAsWorker(spoiled(VALID_WORKER_ENV, badCase)));
      expect(message).toBe(badCase.message);
      expect(message).not.toContain('\n');
      for (const secret of [VALID_WORKER_ENV.WATTTIME_PASSWORD, VALID_WORKER_ENV.INFLUXDB_TOKEN, 'from-a-file']) {
        expect(message).not.toContain(secret);
      }
    },
  );

  it.each(
    [...SHARED_VARIABLE_CASES, ...CLIENT_ONLY_VARIABLE_CASES].map((c): [string, string, VariableCase] => [c.variable, JSON.stringify(c.value), c]),
  )('client: %s=%s is refused with one line naming it', (_variable, _value, badCase) => {
    expect(refusal(() => loadClientSettings(spoiled({}, badCase)))).toBe(badCase.message);
  });

  it('accepts plain integers with a sign, and what the defaults say', () => {
    expect(loadWorkerSettings({ ...VALID_WORKER_ENV, FETCH_INTERVAL_SECONDS: '120', HEALTH_PORT: '08010' })).toMatchObject({
      FETCH_INTERVAL_SECONDS: 120,
      HEALTH_PORT: 8010,
    });
    expect(loadClientSettings({ TOKEN_REFRESH_BUFFER_SECONDS: '0' }).TOKEN_REFRESH_BUFFER_SECONDS).toBe(0);
    for (const address of ['localhost', 'localhost:7233', '127.0.0.1:7233', '[::1]:7233', 'my-ns.a1b2c.tmprl.cloud:7233', 'temporal_frontend:7233']) {
      expect(temporalAddressProblem(address), address).toBeUndefined();
    }
  });
});

describe("the client's arguments", () => {
  /** What each command checks of its arguments, as client/main.ts runs it, before connecting anywhere. */
  function check(args: readonly string[]): void {
    const [command, ...rest] = args.map((arg) => arg.replace(/^REGION$/, 'CAISO_NORTH'));
    if (command === 'start') {
      const flag = rest.indexOf('--signal-type');
      const signal = flag < 0 ? 'co2_moer' : (rest[flag + 1] ?? '');
      regionCodes(flag < 0 ? rest : rest.filter((_, i) => i !== flag && i !== flag + 1));
      signalType(signal);
    } else if (command === 'interval') {
      regionCodes(rest.slice(0, 1));
      intervalSeconds(rest[1] ?? '');
    } else {
      regionCodes(rest);
    }
  }

  // Commander's own refusals (missing or extra arguments, unknown command) are run in the e2e tier.
  const ours = CLIENT_ARGUMENT_CASES.filter((c) => !c.message.startsWith('error: '));

  it.each(ours.map((c): [string, (typeof ours)[number]] => [JSON.stringify(c.args), c]))('%s is refused with one line', (_args, badCase) => {
    let refused: unknown;
    try {
      check(badCase.args);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ArgumentError);
    expect((refused as Error).message).toBe(badCase.message);
    expect((refused as Error).message).not.toContain('\n');
  });

  it('keeps well-formed names (NOT_A_REGION too) for /v3/my-access to judge', () => {
    expect(regionCodes(['CAISO_NORTH', 'PJM_DC', 'NOT_A_REGION', 'ERCOT_NORTHCENTRAL'])).toHaveLength(4);
    for (const signal of ['co2_moer', 'co2_aoer', 'health_damage']) expect(signalType(signal)).toBe(signal);
    expect([intervalSeconds('60'), intervalSeconds('3600'), intervalSeconds('59')]).toEqual([60, 3600, 59]);
  });
});

describe('the setInterval update validator', () => {
  it.each(INTERVAL_UPDATE_CASES.map((c): [number, string] => [c.seconds, c.message]))('refuses %s with "%s"', (seconds, message) => {
    expect(intervalProblem(seconds)).toBe(message);
  });

  it('accepts the whole range', () => {
    for (const seconds of [60, 300, 3600]) expect(intervalProblem(seconds)).toBeUndefined();
  });
});
