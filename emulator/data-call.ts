/**
 * The path every `/v3` call takes: injected latency and faults first (server trouble comes before
 * anything else), then bearer auth, the per-user rate limit, the endpoint itself, and finally an
 * optional malformed replacement of a successful answer, or a warning added to it.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { EndpointHandler } from './endpoints';
import { ReplyError, textReply, type Reply } from './http';
import { rateLimitedReply } from './rate-limit';
import type { EmulatorState } from './state';

// WattTime's 401 body is undocumented ("never parse it"): plain text keeps clients honest.
const UNAUTHORIZED: Reply = textReply(401, 'Unauthorized', { 'www-authenticate': 'Bearer' });

function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

export async function dataCall(
  state: EmulatorState,
  handler: EndpointHandler,
  request: { authorization: string | undefined; query: URLSearchParams },
  signal: AbortSignal,
): Promise<Reply> {
  const latencyMs = state.faults.latencyMs();
  if (latencyMs > 0) await delay(latencyMs, undefined, { signal });
  const fault = state.faults.beforeDataCall();
  if (fault !== undefined) return fault;

  const nowMs = state.now();
  const token = bearerToken(request.authorization);
  const username = token === undefined ? undefined : state.tokens.verify(token, nowMs);
  const account = username === undefined ? undefined : state.accounts.get(username);
  if (account === undefined) return UNAUTHORIZED;

  const limit = state.dataLimiter.tryAcquire(account.username, nowMs);
  if (!limit.allowed) return rateLimitedReply(limit.retryAfterSeconds);

  let reply: Reply;
  try {
    reply = handler({ account, nowMs, feedNowMs: state.faults.feedTimeMs(nowMs), query: request.query, faults: state.faults.settings() });
  } catch (error) {
    if (error instanceof ReplyError) return error.reply;
    throw error;
  }
  return reply.status === 200 ? (state.faults.malformedAnswer() ?? state.faults.withWarning(reply)) : reply;
}
