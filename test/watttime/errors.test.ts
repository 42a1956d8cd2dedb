import { describe, expect, it } from 'vitest';
import { FailureType } from '../../common/failure-types';
import {
  BadRequestError,
  ForbiddenError,
  InvalidCredentialsError,
  MalformedResponseError,
  OutOfPlanError,
  RateLimitedError,
  TokenRejectedError,
  UnavailableError,
  WattTimeError,
} from '../../watttime/errors';
import { parseRetryAfterMs } from '../../watttime/retry-after';
import { serverMessage } from '../../watttime/server-message';
import { dataCallError, loginError, type FailedResponse } from '../../watttime/status-errors';

const SECRET = 'tok-very-secret-123';

function failed(status: number, body = '', extra: Partial<FailedResponse> = {}): FailedResponse {
  return { endpoint: '/v3/forecast', host: 'api.watttime.org', status, requestId: 'req-1', body, secrets: [SECRET], ...extra };
}

describe('WattTimeError', () => {
  it('formats endpoint, status and request id into a readable message', () => {
    const error = new OutOfPlanError({
      endpoint: '/v3/forecast',
      status: 403,
      requestId: '3f2a',
      detail: 'Invalid scope for region PJM_DC',
    });
    expect(error.message).toBe('WattTime /v3/forecast answered 403 (request 3f2a): Invalid scope for region PJM_DC');
    expect(error).toBeInstanceOf(WattTimeError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OutOfPlanError');
    expect(error.kind).toBe(FailureType.OutOfPlan);
    expect(String(error)).toBe(`OutOfPlanError: ${error.message}`);
    expect(error.stack?.split('\n')[0]).toBe(`OutOfPlanError: ${error.message}`);
    expect(error.cause).toBeUndefined();
  });

  it('leaves out what it does not know', () => {
    const error = new UnavailableError({ endpoint: '/v3/historical', detail: 'unreachable (ECONNREFUSED): connect refused' });
    expect(error.message).toBe('WattTime /v3/historical: unreachable (ECONNREFUSED): connect refused');
  });

  it('serialises to JSON with its message and without undefined fields', () => {
    const error = new RateLimitedError({ endpoint: '/login', status: 429, detail: 'rate limited', retryAfterMs: 5000 });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'RateLimitedError',
      kind: FailureType.RateLimited,
      message: 'WattTime /login answered 429: rate limited',
      endpoint: '/login',
      status: 429,
      retryAfterMs: 5000,
    });
  });

  it.each([
    [TokenRejectedError, FailureType.TokenRejected],
    [InvalidCredentialsError, FailureType.InvalidCredentials],
    [OutOfPlanError, FailureType.OutOfPlan],
    [ForbiddenError, FailureType.Forbidden],
    [BadRequestError, FailureType.BadRequest],
    [RateLimitedError, FailureType.RateLimited],
    [UnavailableError, FailureType.Unavailable],
    [MalformedResponseError, FailureType.MalformedResponse],
  ])('%o has kind %s', (ErrorClass, kind) => {
    expect(new ErrorClass({ endpoint: '/x', detail: 'd' }).kind).toBe(kind);
  });
});

describe('dataCallError', () => {
  it('maps 401 to TokenRejectedError without looking at the body', () => {
    const error = dataCallError(failed(401, '{"message":"Invalid scope"}'));
    expect(error).toBeInstanceOf(TokenRejectedError);
    expect(error.message).toBe('WattTime /v3/forecast answered 401 (request req-1): token rejected');
  });

  it('maps 403 "Invalid scope" to OutOfPlanError with the server message', () => {
    const error = dataCallError(failed(403, '{"message":"Invalid scope for region PJM_DC"}'));
    expect(error).toBeInstanceOf(OutOfPlanError);
    expect(error.message).toBe('WattTime /v3/forecast answered 403 (request req-1): Invalid scope for region PJM_DC');
  });

  it('maps any other 403 (a proxy or CDN page) to ForbiddenError naming the host, quoting a short secret-free excerpt', () => {
    const page = `<html><head><title>403 Forbidden</title><script>var t="${SECRET}"</script></head><body><h1>Access denied</h1><p>${'x'.repeat(200)}</p></body></html>`;
    const error = dataCallError(failed(403, page));
    expect(error).toBeInstanceOf(ForbiddenError);
    expect(error).not.toBeInstanceOf(OutOfPlanError);
    expect(error.kind).toBe('WattTimeForbidden');
    expect(error.message).toBe(
      `WattTime /v3/forecast answered 403 (request req-1): refused by api.watttime.org without WattTime's "Invalid scope" (a proxy or CDN page?): "403 Forbidden Access denied ${'x'.repeat(92)}…"`,
    );
    expect(dataCallError(failed(403, `<p>echoed ${SECRET}</p>`)).message).toBe(
      `WattTime /v3/forecast answered 403 (request req-1): refused by api.watttime.org without WattTime's "Invalid scope" (a proxy or CDN page?): "echoed [redacted]"`,
    );
    expect(dataCallError(failed(403)).message).toBe(
      `WattTime /v3/forecast answered 403 (request req-1): refused by api.watttime.org without WattTime's "Invalid scope" (a proxy or CDN page?): an empty body`,
    );
    // JSON, but not WattTime's "Invalid scope": still not a plan limit.
    expect(dataCallError(failed(403, '{"message":"Forbidden"}'))).toBeInstanceOf(ForbiddenError);
  });

  it('maps 400 and 422 to BadRequestError with the server message', () => {
    const error = dataCallError(failed(400, '{"error":"invalid_region","message":"Unknown region: NOPE"}'));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe('WattTime /v3/forecast answered 400 (request req-1): Unknown region: NOPE');
    expect(dataCallError(failed(422, 'horizon too long')).message).toBe(
      'WattTime /v3/forecast answered 422 (request req-1): horizon too long',
    );
    expect(dataCallError(failed(400)).message).toBe('WattTime /v3/forecast answered 400 (request req-1): bad request');
  });

  it('maps other 4xx to BadRequestError', () => {
    const error = dataCallError(failed(404, '{"error":"no_coverage","message":"No coverage available"}'));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toBe('WattTime /v3/forecast answered 404 (request req-1): request refused: No coverage available');
  });

  it('maps 429 to RateLimitedError with the wait', () => {
    const error = dataCallError(failed(429, 'Too Many Requests', { retryAfterMs: 7000 }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(7000);
    expect(error.message).toBe('WattTime /v3/forecast answered 429 (request req-1): rate limited; retry after 7 s');
    expect(dataCallError(failed(429)).message).toBe('WattTime /v3/forecast answered 429 (request req-1): rate limited');
  });

  it('maps 5xx to UnavailableError, quoting only a JSON message', () => {
    expect(dataCallError(failed(503, '<html><h1>503 Service Error</h1></html>')).message).toBe(
      'WattTime /v3/forecast answered 503 (request req-1): server error',
    );
    const error = dataCallError(failed(500, '{"message":"database busy"}'));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe('WattTime /v3/forecast answered 500 (request req-1): server error: database busy');
  });

  it('maps an unexpected non-error status to MalformedResponseError', () => {
    const error = dataCallError(failed(302));
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toBe('WattTime /v3/forecast answered 302 (request req-1): unexpected status 302');
  });

  it('masks a secret the server echoes back', () => {
    const error = dataCallError(failed(400, `{"message":"bad token ${SECRET}"}`));
    expect(error.message).toBe('WattTime /v3/forecast answered 400 (request req-1): bad token [redacted]');
  });
});

describe('loginError', () => {
  it.each([401, 403])('maps %i to InvalidCredentialsError naming the user', (status) => {
    const error = loginError(failed(status, 'Forbidden', { endpoint: '/login' }), 'alice');
    expect(error).toBeInstanceOf(InvalidCredentialsError);
    expect(error.message).toBe(`WattTime /login answered ${status} (request req-1): credentials refused for user "alice": Forbidden`);
  });

  it('maps 429 and 5xx like a data call', () => {
    expect(loginError(failed(429, '', { endpoint: '/login' }), 'alice')).toBeInstanceOf(RateLimitedError);
    expect(loginError(failed(502, '', { endpoint: '/login' }), 'alice')).toBeInstanceOf(UnavailableError);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2024-06-18T18:40:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('1.5', now)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfterMs('Tue, 18 Jun 2024 18:40:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Tue, 18 Jun 2024 18:00:00 GMT', now)).toBe(0);
  });

  it('is undefined when absent or unreadable', () => {
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs('', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('-5', now)).toBeUndefined();
  });
});

describe('serverMessage', () => {
  it('prefers the JSON message, then error, then the raw text', () => {
    expect(serverMessage('{"error":"e","message":"m"}', [])).toBe('m');
    expect(serverMessage('{"error":"e"}', [])).toBe('e');
    expect(serverMessage('plain\n  text', [])).toBe('plain text');
    expect(serverMessage('["not", "an object"]', [])).toBe('["not", "an object"]');
  });

  it('shortens long bodies after masking secrets', () => {
    const body = `${'x'.repeat(295)}${SECRET}${'y'.repeat(500)}`;
    const text = serverMessage(body, [SECRET]);
    expect(text).toHaveLength(301);
    expect(text.endsWith('…')).toBe(true);
    expect(text).not.toContain(SECRET.slice(0, 5));
  });
});
