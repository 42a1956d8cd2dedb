/** `GET /login`: HTTP Basic credentials in, an opaque bearer token out. */
import { jsonReply, textReply, type Reply } from './http';
import { rateLimitedReply } from './rate-limit';
import type { EmulatorState } from './state';

function basicCredentials(authorization: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function attemptLogin(state: EmulatorState, authorization: string | undefined): Reply {
  const fault = state.faults.beforeLogin();
  if (fault !== undefined) return fault;
  const credentials = basicCredentials(authorization);
  if (credentials === undefined) {
    return textReply(401, 'Unauthorized: HTTP Basic credentials required', { 'www-authenticate': 'Basic realm="WattTime"' });
  }
  const nowMs = state.now();
  // Attempts count, not just successes: the limit exists to stop clients that hammer /login.
  const limit = state.loginLimiter.tryAcquire(credentials.username, nowMs);
  if (!limit.allowed) return rateLimitedReply(limit.retryAfterSeconds);
  const account = state.accounts.authenticate(credentials.username, credentials.password);
  // WattTime does not document the status for bad credentials (401 or 403: unknown); the
  // emulator answers 403, and clients must treat both as "bad credentials, do not retry".
  if (account === undefined) return textReply(403, 'Forbidden: invalid username or password');
  return jsonReply(200, { token: state.tokens.issue(account.username, nowMs) });
}

export function login(state: EmulatorState, authorization: string | undefined): Reply {
  const reply = attemptLogin(state, authorization);
  state.counters.countLogin(reply.status === 200);
  return reply;
}
