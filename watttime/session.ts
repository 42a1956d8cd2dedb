import { WattTimeClient, type ForecastParams, type HistoricalParams, type SignalParams } from './client';
import { TokenRejectedError } from './errors';
import { silentLogger, type WattTimeLogger } from './logger';
import type { WattTimeMetrics } from './metrics';
import { PlanAccess } from './plan-access';
import { createAccountLimiters } from './rate-limiter';
import type { ForecastResponse, HistoricalResponse, MyAccessResponse, SignalIndexResponse } from './schemas';
import { TokenCache, type EnsuredToken, type EnsureOptions } from './token-cache';

/** A WattTime account as configured: a password to log in with, a static token, or both. */
export interface WattTimeAccount {
  readonly username: string;
  /** `WATTTIME_PASSWORD`; without it only `apiToken` can be used. */
  readonly password?: string;
  /** `WATTTIME_API_TOKEN`, used before any login. */
  readonly apiToken?: string;
}

export interface WattTimeSessionOptions {
  readonly account: WattTimeAccount;
  /** `WATTTIME_BASE_URL`; default WattTime's own. */
  readonly baseUrl?: string;
  readonly logger?: WattTimeLogger;
  /** Where the account's requests and logins are counted; default nowhere. */
  readonly metrics?: WattTimeMetrics;
  /** The clock of token lifetimes and the rate budgets (tests simulate it). */
  readonly now?: () => number;
  /**
   * The account's data calls per rolling 5 minutes (`WATTTIME_CALLS_PER_5_MINUTES`); default
   * WattTime's 3,000. Calls past it wait for the window to roll rather than earn a 429.
   */
  readonly callsPer5Minutes?: number;
}

/**
 * Everything one WattTime account needs in one process: the HTTP client with the account's rate
 * budgets (3,000 calls — or `callsPer5Minutes` — and 100 logins per 5 minutes), the token cache with single-flight login,
 * and the plan cache from `/v3/my-access`. Create one per process and share it between every
 * region, so 100 regions mean one login per token lifetime.
 *
 * Data calls use the held token; a process holding none (after a restart, or a second worker on
 * the task queue) logs in once first. A token WattTime rejects (401) fails the call with
 * `TokenRejectedError` and is dropped, so the caller's `ensureToken({ force: true })` — or the next
 * data call — logs in. Tokens never leave this object.
 */
export class WattTimeSession {
  readonly username: string;
  readonly plan: PlanAccess;
  private readonly client: WattTimeClient;
  private readonly tokens: TokenCache;
  private readonly logger: WattTimeLogger;

  constructor(options: WattTimeSessionOptions) {
    const { account, now } = options;
    this.username = account.username;
    this.logger = options.logger ?? silentLogger;
    this.client = new WattTimeClient({
      baseUrl: options.baseUrl,
      logger: this.logger,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      limiters: createAccountLimiters({
        ...(now === undefined ? {} : { now }),
        ...(options.callsPer5Minutes === undefined ? {} : { callsPer5Minutes: options.callsPer5Minutes }),
      }),
      ...(now === undefined ? {} : { now }),
    });
    this.tokens = new TokenCache({
      client: this.client,
      account: account.password === undefined ? { username: account.username } : { username: account.username, password: account.password },
      ...(account.apiToken === undefined ? {} : { staticToken: account.apiToken }),
      ...(now === undefined ? {} : { now }),
    });
    // The plan cache counts real time: plans change on WattTime's calendar, not a simulated one.
    this.plan = new PlanAccess({ myAccess: () => this.myAccess() });
  }

  /**
   * A token valid until `validUntilMs` (ms since epoch), logging in only when the held one does
   * not reach it or `force` is set (and, when the force names `rejectedTokenId`, the held token is
   * that one). Answers the expiry and a non-reversible token id only. A failed login is shared by
   * every caller for a short while (see `TokenCache`).
   *
   * @throws InvalidCredentialsError when `/login` refuses the account or the static token is unusable;
   *   `UnavailableError` / `RateLimitedError` for transient `/login` trouble.
   */
  ensureToken(opts: EnsureOptions = {}): Promise<EnsuredToken> {
    return this.tokens.ensure(opts);
  }

  /** The non-reversible id of the unexpired token held, or null when none is (e.g. after a 401 dropped it). */
  heldTokenId(): string | null {
    try {
      return this.tokens.current().tokenId;
    } catch {
      return null;
    }
  }

  /** `/v3/signal-index`: the current percentile (0–100) of the region's MOER. */
  signalIndex(params: SignalParams): Promise<SignalIndexResponse> {
    return this.withHeldToken((token) => this.client.signalIndex(token, params));
  }

  /** `/v3/forecast`: the first point is the current period (lbs/MWh for MOER). */
  forecast(params: ForecastParams): Promise<ForecastResponse> {
    return this.withHeldToken((token) => this.client.forecast(token, params));
  }

  /** `/v3/historical` over any range, split into ≤ 10-day requests. */
  historical(params: HistoricalParams): Promise<HistoricalResponse> {
    return this.withHeldToken((token) => this.client.historical(token, params));
  }

  /** `/v3/my-access`, uncached; `plan` caches it. */
  myAccess(): Promise<MyAccessResponse> {
    return this.withHeldToken((token) => this.client.myAccess(token));
  }

  /**
   * Runs `call` once with a token, for a one-off caller outside any workflow (the client's `start`):
   * obtains a token first, and when WattTime rejects it (a stale static token) logs in once and
   * tries again.
   */
  async withFreshToken<T>(call: () => Promise<T>): Promise<T> {
    await this.ensureToken();
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      await this.ensureToken({ force: true });
      return call();
    }
  }

  /** Closes the connection pool; calls after this fail. */
  close(): Promise<void> {
    return this.client.close();
  }

  /** The one way a data call gets the token: a rejected token is dropped so the next one logs in. */
  private async withHeldToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const held = await this.tokens.forDataCall();
    try {
      return await call(held.token);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        this.tokens.invalidate(held.token);
        this.logger.info({ tokenId: held.tokenId, requestId: error.requestId }, 'WattTime rejected the held token; dropped it');
      }
      throw error;
    }
  }
}
