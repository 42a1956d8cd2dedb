import {
  BadRequestError,
  ForbiddenError,
  InvalidCredentialsError,
  MalformedResponseError,
  OutOfPlanError,
  RateLimitedError,
  TokenRejectedError,
  UnavailableError,
  type WattTimeError,
} from './errors';
import { bodyExcerpt, jsonMessage, serverMessage } from './server-message';

/** A non-200 answer, reduced to what the taxonomy needs. */
export interface FailedResponse {
  endpoint: string;
  /** The host (and port) the request went to, e.g. `api.watttime.org`: what answered, or a proxy in front of it. */
  host: string;
  status: number;
  requestId?: string;
  /** The body as text; empty for a 401, whose body is never read. */
  body: string;
  retryAfterMs?: number;
  /** Password or token sent with the request, masked should the server echo it. */
  secrets: readonly string[];
}

/**
 * Maps a non-200 answer from a `/v3/*` data call to the error taxonomy. A 401 means the token
 * is bad, whatever the body says; a 403 is never a token problem: a plan limit when the body is
 * WattTime's own JSON "Invalid scope…" message, else a refusal by whatever answered for the host
 * (a CDN, proxy or firewall page), quoted briefly.
 */
export function dataCallError(response: FailedResponse): WattTimeError {
  const details = { endpoint: response.endpoint, status: response.status, requestId: response.requestId };
  if (response.status === 401) return new TokenRejectedError({ ...details, detail: 'token rejected' });
  if (response.status === 403) {
    const scope = jsonMessage(response.body);
    if (scope?.startsWith('Invalid scope')) return new OutOfPlanError({ ...details, detail: serverMessage(scope, response.secrets) });
    const excerpt = bodyExcerpt(response.body, response.secrets);
    const body = excerpt === '' ? 'an empty body' : JSON.stringify(excerpt);
    return new ForbiddenError({
      ...details,
      detail: `refused by ${response.host} without WattTime's "Invalid scope" (a proxy or CDN page?): ${body}`,
    });
  }
  return commonError(response);
}

/**
 * Maps a non-200 answer from `GET /login`. Which status WattTime uses for bad credentials is
 * unknown, so 401 and 403 both mean "refused"; anything else but 200 is a failure too.
 */
export function loginError(response: FailedResponse, username: string): WattTimeError {
  if (response.status === 401 || response.status === 403) {
    return new InvalidCredentialsError({
      endpoint: response.endpoint,
      status: response.status,
      requestId: response.requestId,
      detail: `credentials refused for user "${username}"${describeBody(response)}`,
    });
  }
  return commonError(response);
}

function commonError(response: FailedResponse): WattTimeError {
  const details = { endpoint: response.endpoint, status: response.status, requestId: response.requestId };
  const { status } = response;
  if (status === 429) {
    const wait = response.retryAfterMs === undefined ? '' : `; retry after ${response.retryAfterMs / 1000} s`;
    return new RateLimitedError({ ...details, retryAfterMs: response.retryAfterMs, detail: `rate limited${wait}` });
  }
  if (status >= 500) return new UnavailableError({ ...details, detail: `server error${describeJsonBody(response)}` });
  if (status === 400 || status === 422) {
    return new BadRequestError({ ...details, detail: serverMessage(response.body, response.secrets) || 'bad request' });
  }
  // Other 4xx (404 "No coverage available…" from region-from-loc, a wrong base URL): WattTime
  // will not accept the request as it stands, so it is permanent like a 400.
  if (status >= 400) return new BadRequestError({ ...details, detail: `request refused${describeBody(response)}` });
  // 1xx/3xx/2xx other than 200: not the documented answer. Redirects are not followed on purpose.
  return new MalformedResponseError({ ...details, detail: `unexpected status ${status}` });
}

function describeBody(response: FailedResponse): string {
  const text = serverMessage(response.body, response.secrets);
  return text === '' ? '' : `: ${text}`;
}

/** 5xx bodies may be proxy HTML pages: quote only a JSON message. */
function describeJsonBody(response: FailedResponse): string {
  const text = jsonMessage(response.body);
  return text === undefined ? '' : `: ${serverMessage(text, response.secrets)}`;
}
