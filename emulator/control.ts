/**
 * Test and demo switches: programmatically (`EmulatorControl`) and over HTTP under
 * `/_emulator/` (JSON in and out), so a separately running emulator can be driven too.
 */
import { z } from 'zod';
import { accountSchema, type EmulatorAccount } from './accounts';
import type { EmulatorCounters } from './counters';
import { faultSettingsSchema, type FaultSettings } from './faults';
import { errorReply, jsonReply, type Reply } from './http';
import type { EmulatorState } from './state';

export interface EmulatorControl {
  /** Every token issued so far answers 401 from now on; new logins work. */
  revokeAllTokens(): void;
  /** Merges into the current faults and restarts their schedules. Throws on invalid values. */
  setFaults(faults: Partial<FaultSettings>): void;
  resetFaults(): void;
  /** Lifetime of tokens issued from now on. Throws unless positive. */
  setTokenTtlSeconds(s: number): void;
  /** Adds (or replaces, by username) an account. Throws on an unknown region. */
  addAccount(a: EmulatorAccount): void;
  counters(): EmulatorCounters;
  resetCounters(): void;
  /** Every token ever issued, revoked or expired ones included. */
  issuedTokens(): readonly string[];
}

const ttlBodySchema = z.object({ seconds: z.number().positive() }).strict();

export function createControl(state: EmulatorState): EmulatorControl {
  return {
    revokeAllTokens: () => void state.tokens.revokeAll(),
    setFaults: (faults) => void state.faults.set(faults),
    resetFaults: () => state.faults.reset(),
    setTokenTtlSeconds: (s) => state.tokens.setTtlSeconds(s),
    addAccount: (a) => state.accounts.add(a),
    counters: () => state.counters.snapshot(),
    resetCounters: () => state.counters.reset(),
    issuedTokens: () => state.tokens.issued(),
  };
}

type ControlRoute = (state: EmulatorState, body: unknown) => Reply;

/** Parses a JSON body with a schema, turning a mismatch into a 400 with zod's explanation. */
function parsed<T>(schema: z.ZodType<T>, body: unknown, then: (value: T) => Reply): Reply {
  const result = schema.safeParse(body);
  return result.success ? then(result.data) : errorReply(400, 'invalid_body', z.prettifyError(result.error));
}

const CONTROL_ROUTES: ReadonlyMap<string, ControlRoute> = new Map<string, ControlRoute>([
  ['POST /_emulator/revoke-tokens', (state) => jsonReply(200, { revoked: state.tokens.revokeAll() })],
  ['GET /_emulator/faults', (state) => jsonReply(200, state.faults.settings())],
  ['POST /_emulator/faults', (state, body) => parsed(faultSettingsSchema, body, (f) => jsonReply(200, state.faults.set(f)))],
  [
    'POST /_emulator/reset',
    (state) => {
      state.faults.reset();
      state.counters.reset();
      return jsonReply(200, { faults: state.faults.settings(), counters: state.counters.snapshot() });
    },
  ],
  ['GET /_emulator/counters', (state) => jsonReply(200, state.counters.snapshot())],
  ['GET /_emulator/issued-tokens', (state) => jsonReply(200, { tokens: state.tokens.issued() })],
  [
    'POST /_emulator/accounts',
    (state, body) =>
      parsed(accountSchema, body, (account) => {
        state.accounts.add(account);
        return jsonReply(201, { username: account.username, regions: account.regions });
      }),
  ],
  [
    'POST /_emulator/token-ttl',
    (state, body) =>
      parsed(ttlBodySchema, body, ({ seconds }) => {
        state.tokens.setTtlSeconds(seconds);
        return jsonReply(200, { seconds });
      }),
  ],
]);

/** Answers a request under `/_emulator/`. `rawBody` is the request body as text ('' if none). */
export function controlCall(state: EmulatorState, method: string, path: string, rawBody: string): Reply {
  const route = CONTROL_ROUTES.get(`${method} ${path}`);
  if (route === undefined) {
    const known = [...CONTROL_ROUTES.keys()].some((key) => key.endsWith(` ${path}`));
    return known
      ? errorReply(405, 'method_not_allowed', `${method} is not allowed on ${path}`)
      : errorReply(404, 'not_found', `No control endpoint ${path}`);
  }
  let body: unknown = {};
  if (rawBody.trim() !== '') {
    try {
      body = JSON.parse(rawBody);
    } catch {
      return errorReply(400, 'invalid_body', 'The body is not JSON');
    }
  }
  return route(state, body);
}
