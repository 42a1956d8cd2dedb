import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { DEFAULT_WATTTIME_BASE_URL } from '../common/names';
import { BadRequestError, MalformedResponseError, UnavailableError, type WattTimeError } from './errors';
import { splitHistoricalRange } from './historical-chunks';
import { silentLogger, type WattTimeLogger } from './logger';
import { noWattTimeMetrics, type WattTimeMetrics } from './metrics';
import { createAccountLimiters, type AccountLimiters } from './rate-limiter';
import { parseRetryAfterMs } from './retry-after';
import {
  forecastResponseSchema,
  historicalResponseSchema,
  loginResponseSchema,
  myAccessResponseSchema,
  signalIndexResponseSchema,
  type DataMeta,
  type ForecastResponse,
  type HistoricalPoint,
  type HistoricalResponse,
  type MyAccessResponse,
  type SignalIndexResponse,
  type Warning,
} from './schemas';
import { redact } from './server-message';
import { dataCallError, loginError, type FailedResponse } from './status-errors';
import { tokenId } from './token-expiry';


export interface WattTimeCredentials {
  username: string;
  password: string;
}

export interface LoginResult {
  token: string;
  /** When the login request was sent: the token's 30 minutes count from here. */
  sentAtMs: number;
}

export interface SignalParams {
  region: string;
  /** `co2_moer`, `co2_aoer` or `health_damage`. */
  signalType: string;
}

export interface ForecastParams extends SignalParams {
  /** 0–72; WattTime's default is 24. */
  horizonHours?: number;
}

export interface HistoricalParams extends SignalParams {
  /** Inclusive range on `point_time`; any length, split into ≤ 10-day requests. */
  start: Date;
  end: Date;
  /** Ask WattTime to mark each point `imputed_data_used` (`include_imputed_marker=true`). */
  includeImputedMarker?: boolean;
}

export interface WattTimeClientOptions {
  /** `WATTTIME_BASE_URL`; a path prefix is kept. */
  baseUrl?: string;
  /**
   * The rate budgets of the one account this client calls for. Share one client (or at least
   * these limiters) between all regions of an account; default: fresh 3,000 + 100 / 5 min.
   */
  limiters?: AccountLimiters;
  logger?: WattTimeLogger;
  /** Where each request's endpoint, status and duration go; default nowhere. */
  metrics?: WattTimeMetrics;
  now?: () => number;
  /** Settings of the keep-alive pool per origin, all in milliseconds except `connections`. */
  connections?: number;
  keepAliveTimeout?: number;
  connectTimeout?: number;
  /** Waiting for response headers; historical pulls make WattTime think for a while. */
  headersTimeout?: number;
  bodyTimeout?: number;
}

interface Answer {
  status: number;
  requestId?: string;
  retryAfterMs?: number;
  body: { text(): Promise<string>; dump(): Promise<void> };
}

type Query = Record<string, string>;

/**
 * WattTime API v3 over a keep-alive connection pool, directly or through the proxy the
 * environment names (`HTTPS_PROXY` for https, `HTTP_PROXY` for http, except hosts in `NO_PROXY`;
 * lower-case spellings first, as undici's `EnvHttpProxyAgent` reads them). Every failure is a
 * typed `WattTimeError` whose message, JSON and logs are free of passwords and tokens.
 */
export class WattTimeClient {
  private readonly dispatcher: EnvHttpProxyAgent;
  private readonly origin: string;
  private readonly pathPrefix: string;
  /** `host[:port]` of the base URL, named in errors of answers that may not be WattTime's own. */
  private readonly host: string;
  private readonly limiters: AccountLimiters;
  private readonly logger: WattTimeLogger;
  private readonly metrics: WattTimeMetrics;
  private readonly now: () => number;

  constructor(options: WattTimeClientOptions = {}) {
    const url = new URL(options.baseUrl ?? DEFAULT_WATTTIME_BASE_URL);
    this.origin = url.origin;
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    this.host = url.host;
    // An undici Agent keeps one keep-alive Pool per origin, with these settings, whichever way a
    // request goes. https goes through the proxy in a CONNECT tunnel; plain http is forwarded as
    // is (`proxyTunnel: false`), as proxies that allow CONNECT to port 443 only expect.
    this.dispatcher = new EnvHttpProxyAgent({
      connections: options.connections ?? 8,
      keepAliveTimeout: options.keepAliveTimeout ?? 10_000,
      connectTimeout: options.connectTimeout ?? 10_000,
      headersTimeout: options.headersTimeout ?? 120_000,
      bodyTimeout: options.bodyTimeout ?? 60_000,
      proxyTunnel: false,
    });
    this.limiters = options.limiters ?? createAccountLimiters();
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? noWattTimeMetrics;
    this.now = options.now ?? Date.now;
  }

  /** `GET /login` with Basic auth. Any answer but 200 is a failure. */
  async login(credentials: WattTimeCredentials): Promise<LoginResult> {
    const endpoint = '/login';
    const secrets = [credentials.password];
    await this.limiters.logins.acquire();
    await this.limiters.calls.acquire();
    const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
    const sentAtMs = this.now();
    const answer = await this.send(endpoint, {}, `Basic ${basic}`, secrets);
    if (answer.status !== 200) {
      throw loginError(await this.failed(endpoint, answer, secrets), credentials.username);
    }
    const { token } = await this.parse(endpoint, answer, loginResponseSchema, secrets);
    this.metrics.loggedIn();
    this.logger.info(
      { endpoint, username: credentials.username, requestId: answer.requestId, tokenId: tokenId(token) },
      'WattTime login succeeded',
    );
    return { token, sentAtMs };
  }

  /** `/v3/signal-index`: the current percentile (0–100) of the region's MOER. */
  async signalIndex(token: string, params: SignalParams): Promise<SignalIndexResponse> {
    return this.data(token, '/v3/signal-index', signalQuery(params), signalIndexResponseSchema, metaWarnings);
  }

  /** `/v3/forecast`: the first point is the current period and WattTime's real-time value. */
  async forecast(token: string, params: ForecastParams): Promise<ForecastResponse> {
    const query = signalQuery(params);
    if (params.horizonHours !== undefined) query.horizon_hours = String(params.horizonHours);
    return this.data(token, '/v3/forecast', query, forecastResponseSchema, metaWarnings);
  }

  /**
   * `/v3/historical` over any range: one request per ≤ 10-day chunk, in order, each 5-minute
   * point returned once, sorted by `pointTime`. `meta` is the first chunk's, with the warnings
   * of all chunks.
   */
  async historical(token: string, params: HistoricalParams): Promise<HistoricalResponse> {
    const endpoint = '/v3/historical';
    const answers: HistoricalResponse[] = [];
    for (const chunk of splitHistoricalRange(params)) {
      const query: Query = { ...signalQuery(params), start: isoWithOffset(chunk.start), end: isoWithOffset(chunk.end) };
      if (params.includeImputedMarker === true) query.include_imputed_marker = 'true';
      answers.push(await this.data(token, endpoint, query, historicalResponseSchema, metaWarnings));
    }
    const first = answers[0];
    // No chunk at all: end before start, or an invalid date.
    if (first === undefined) {
      throw new BadRequestError({ endpoint, detail: 'start and end must be valid dates with start <= end' });
    }
    // Chunks do not overlap, but a server that rounded a bound to its period would repeat the
    // boundary point: keep each point_time once.
    const points = new Map<number, HistoricalPoint>();
    for (const point of answers.flatMap((a) => a.data)) points.set(point.pointTime.getTime(), point);
    const data = [...points.values()].sort((a, b) => a.pointTime.getTime() - b.pointTime.getTime());
    return { data, meta: { ...first.meta, warnings: answers.flatMap((a) => a.meta.warnings) } };
  }

  /** `/v3/my-access`: the signal types, regions, endpoints and models this account may use. */
  async myAccess(token: string): Promise<MyAccessResponse> {
    return this.data(token, '/v3/my-access', {}, myAccessResponseSchema);
  }

  /** Closes the connection pools; calls after this fail. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async data<T>(
    token: string,
    endpoint: string,
    query: Query,
    schema: z.ZodType<T, unknown>,
    warningsOf: (value: T) => Warning[] = () => [],
  ): Promise<T> {
    const secrets = [token];
    await this.limiters.calls.acquire();
    const answer = await this.send(endpoint, query, `Bearer ${token}`, secrets);
    if (answer.status !== 200) throw dataCallError(await this.failed(endpoint, answer, secrets));
    const value = await this.parse(endpoint, answer, schema, secrets);
    for (const warning of warningsOf(value)) {
      this.logger.warn(
        { endpoint, region: query.region, signalType: query.signal_type, requestId: answer.requestId, warning },
        `WattTime warning: ${warning.message}`,
      );
    }
    return value;
  }

  private async send(endpoint: string, query: Query, authorization: string, secrets: string[]): Promise<Answer> {
    const search = new URLSearchParams(query).toString();
    const path = `${this.pathPrefix}${endpoint}${search === '' ? '' : `?${search}`}`;
    const startedMs = this.now();
    // Real time, whatever clock `now` simulates: the duration is the network's.
    const sentAt = performance.now();
    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({
        origin: this.origin,
        method: 'GET',
        path,
        headers: { authorization, accept: 'application/json' },
      });
    } catch (error) {
      this.metrics.requestDone(endpoint, undefined, (performance.now() - sentAt) / 1000);
      throw this.transportError(endpoint, undefined, error, secrets);
    }
    this.metrics.requestDone(endpoint, response.statusCode, (performance.now() - sentAt) / 1000);
    const requestId = headerValue(response.headers['x-request-id']);
    const retryAfterMs = parseRetryAfterMs(headerValue(response.headers['retry-after']), this.now());
    this.logger.debug(
      { endpoint, status: response.statusCode, requestId, durationMs: this.now() - startedMs },
      'WattTime answered',
    );
    return { status: response.statusCode, requestId, retryAfterMs, body: response.body };
  }

  /** Reads what the taxonomy needs from a non-200 answer; a 401 body is never read. */
  private async failed(endpoint: string, answer: Answer, secrets: string[]): Promise<FailedResponse> {
    let body = '';
    if (answer.status === 401) await answer.body.dump().catch(() => undefined);
    else body = await answer.body.text().catch(() => '');
    const { status, requestId, retryAfterMs } = answer;
    return { endpoint, host: this.host, status, requestId, retryAfterMs, body, secrets };
  }

  private async parse<T>(endpoint: string, answer: Answer, schema: z.ZodType<T, unknown>, secrets: string[]): Promise<T> {
    let text: string;
    try {
      text = await answer.body.text();
    } catch (error) {
      throw this.transportError(endpoint, answer, error, secrets);
    }
    const malformed = (detail: string): WattTimeError =>
      new MalformedResponseError({ endpoint, status: answer.status, requestId: answer.requestId, detail });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw malformed('malformed response: body is not JSON');
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue === undefined || issue.path.length === 0 ? '(body)' : issue.path.join('.');
      throw malformed(`malformed response: ${field}: ${redact(issue?.message ?? 'invalid', secrets)}`);
    }
    return result.data;
  }

  private transportError(endpoint: string, answer: Answer | undefined, error: unknown, secrets: string[]): WattTimeError {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
    const message = error instanceof Error ? error.message : String(error);
    const what = answer === undefined ? 'unreachable' : 'answer cut off';
    return new UnavailableError({
      endpoint,
      status: answer?.status,
      requestId: answer?.requestId,
      detail: redact(`${what}${code === undefined ? '' : ` (${code})`}: ${message}`, secrets),
    });
  }

}

function signalQuery(params: SignalParams): Query {
  return { region: params.region, signal_type: params.signalType };
}

/** WattTime wants an explicit offset; `toISOString()` ends in `Z`, which we spell `+00:00`. */
function isoWithOffset(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z').replace(/Z$/, '+00:00');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `meta.warnings` of a data response: logged on every call, and returned to the caller. */
function metaWarnings(response: { meta: DataMeta }): Warning[] {
  return response.meta.warnings;
}
