import type { WattTimeClient, WattTimeCredentials } from './client';
import { TOKEN_REFRESH_BUFFER_SECONDS } from '../common/limits';
import { InvalidCredentialsError, RateLimitedError, TokenRejectedError } from './errors';
import { tokenExpiresAtMs, tokenId } from './token-expiry';

/**
 * How long a failed login answers for the account: every caller that needs a login meanwhile gets
 * the same failure instead of a new attempt (longer when a 429 says `Retry-After`). So however many
 * regions retry on their own backoff, a worker makes at most one failed login per 15 s, well inside
 * WattTime's 100 logins per 5 minutes, and the first retry after the window logs in again.
 */
export const FAILED_LOGIN_SHARED_MS = 15_000;

/**
 * A data call's token must outlive the call by this much; closer to its expiry it is replaced
 * first. Short, because refreshing ahead is the workflow's decision (`ensureToken` with its
 * refresh buffer): this only covers a process holding no token, or one about to lapse under a
 * call. (Test tokens live 20 s; a longer margin would log in for every call.)
 */
export const DATA_CALL_TOKEN_MARGIN_MS = 5_000;

/** What `ensure` is asked for. */
export interface EnsureOptions {
  /** Log in even if the held token looks valid (after a 401, or on operator request). */
  force?: boolean;
  /** The token must stay valid until this instant (ms since epoch); default: the refresh buffer from now. */
  validUntilMs?: number;
  /**
   * With `force`: the id of the token WattTime rejected. A held token with another id replaced it
   * since (another region's forced login), so it serves without a login of its own.
   */
  rejectedTokenId?: string;
}

/** What may leave the activity (history, queries, logs): never the token itself. */
export interface TokenInfo {
  expiresAtMs: number;
  tokenId: string;
}

export interface EnsuredToken extends TokenInfo {
  /** True when this call waited for a login (its own or one it joined) instead of a held token. */
  loggedIn: boolean;
}

export interface HeldToken extends TokenInfo {
  token: string;
}

/** An account as the cache sees it: without a password it can only use its static token. */
export interface AccountCredentials {
  username: string;
  password?: string;
}

export interface TokenCacheOptions {
  client: Pick<WattTimeClient, 'login'>;
  /** The one account this cache holds a token for. */
  account: AccountCredentials;
  /**
   * `WATTTIME_API_TOKEN`: held from the start, so no login is needed until it expires or WattTime
   * rejects it. Its lifetime is its JWT `exp`, else WattTime's 30 minutes from now; an account
   * without a password keeps using it after that (re-armed for another 30 minutes) until WattTime
   * rejects it.
   */
  staticToken?: string;
  /** For `ensure` calls that give no `validUntilMs`: log in when the token expires within this long. Default 5 minutes. */
  refreshBufferMs?: number;
  now?: () => number;
}

/**
 * The WattTime token of one account, with single-flight login: however many regions ask at once,
 * the account has at most one login in flight, which all of them share. WattTime allows 100
 * logins per 5 minutes per user.
 */
export class TokenCache {
  private readonly client: Pick<WattTimeClient, 'login'>;
  private readonly account: AccountCredentials;
  private readonly refreshBufferMs: number;
  private readonly now: () => number;
  private held: HeldToken | undefined;
  private loggingIn: Promise<HeldToken> | undefined;
  /** The latest failed login while it is shared (see `FAILED_LOGIN_SHARED_MS`). */
  private failedLogin: { error: unknown; untilMs: number } | undefined;
  private readonly staticToken: string | undefined;
  private staticTokenRejected = false;

  constructor(options: TokenCacheOptions) {
    this.client = options.client;
    this.account = options.account;
    this.refreshBufferMs = options.refreshBufferMs ?? TOKEN_REFRESH_BUFFER_SECONDS.default * 1000;
    this.now = options.now ?? Date.now;
    this.staticToken = options.staticToken;
    if (this.staticToken !== undefined) this.held = heldOf(this.staticToken, this.now());
  }

  /**
   * A token valid until `validUntilMs` (default: the refresh buffer from now). Logs in when none
   * is held, the held one expires before that, or `force` is set (after a 401) — unless the force
   * names a `rejectedTokenId` and the held token is another, newer one: then however many regions
   * a revocation or a worker restart hits, they share one login. A login already in flight is
   * always joined, forced or not: it was started because the held token is not to be trusted. A
   * failed login is shared for `FAILED_LOGIN_SHARED_MS`: callers needing a login meanwhile get its
   * failure.
   *
   * @throws InvalidCredentialsError when `/login` refuses the account, or when there is no password
   *   and the static token was rejected or has expired; other `WattTimeError`s from `/login`.
   */
  async ensure(opts: EnsureOptions = {}): Promise<EnsuredToken> {
    const held = this.held;
    const validUntilMs = opts.validUntilMs ?? this.now() + this.refreshBufferMs;
    const fresh = held !== undefined && validUntilMs < held.expiresAtMs;
    const replacedSinceRejected = opts.rejectedTokenId !== undefined && held?.tokenId !== opts.rejectedTokenId;
    if (fresh && (opts.force !== true || replacedSinceRejected) && this.loggingIn === undefined) {
      return { expiresAtMs: held.expiresAtMs, tokenId: held.tokenId, loggedIn: false };
    }
    const { username, password } = this.account;
    if (password === undefined) {
      const rearmed = this.rearmStaticToken();
      return { expiresAtMs: rearmed.expiresAtMs, tokenId: rearmed.tokenId, loggedIn: false };
    }
    const token = await this.login({ username, password });
    return { expiresAtMs: token.expiresAtMs, tokenId: token.tokenId, loggedIn: true };
  }

  /**
   * The token a data call sends: the held one while it stays valid for
   * `DATA_CALL_TOKEN_MARGIN_MS`, else one obtained as `ensure` obtains it (joining a login in
   * flight, sharing a failed one). A worker that holds none — just restarted, or one of several on
   * a task queue whose peers answered the workflows' refreshes — so logs in once for all its
   * regions instead of failing the fetch it was handed.
   *
   * @throws as `ensure` does.
   */
  async forDataCall(): Promise<HeldToken> {
    const held = this.held;
    if (held !== undefined && this.now() + DATA_CALL_TOKEN_MARGIN_MS < held.expiresAtMs) return { ...held };
    await this.ensure({ validUntilMs: this.now() + DATA_CALL_TOKEN_MARGIN_MS });
    return this.current();
  }

  /**
   * The held token while it has not expired. Without one this fails exactly like a 401.
   *
   * @throws TokenRejectedError when no unexpired token is held.
   */
  current(): HeldToken {
    const held = this.held;
    if (held === undefined || this.now() >= held.expiresAtMs) {
      throw new TokenRejectedError({ endpoint: 'token cache', detail: 'no usable token held for this account' });
    }
    return { ...held };
  }

  /** Drops the token after WattTime rejected it, unless a newer one has replaced it meanwhile. */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = undefined;
    if (this.staticToken === token) this.staticTokenRejected = true;
  }

  /**
   * Without a password the static token is all there is: hold it again for another lifetime, or
   * fail for the operator once WattTime has rejected it or its JWT `exp` has passed.
   */
  private rearmStaticToken(): HeldToken {
    const { username } = this.account;
    const operatorFix = 'set a fresh WATTTIME_API_TOKEN, or a WATTTIME_PASSWORD to log in with';
    const refused = (detail: string): InvalidCredentialsError => new InvalidCredentialsError({ endpoint: 'token cache', detail });
    if (this.staticToken === undefined) {
      throw refused(`no password and no WATTTIME_API_TOKEN for user "${username}"; ${operatorFix}`);
    }
    if (this.staticTokenRejected) throw refused(`WattTime rejected WATTTIME_API_TOKEN of user "${username}"; ${operatorFix}`);
    const rearmed = heldOf(this.staticToken, this.now());
    if (rearmed.expiresAtMs <= this.now()) {
      throw refused(`WATTTIME_API_TOKEN of user "${username}" expired at ${new Date(rearmed.expiresAtMs).toISOString()}; ${operatorFix}`);
    }
    this.held = rearmed;
    return rearmed;
  }

  private login(credentials: WattTimeCredentials): Promise<HeldToken> {
    if (this.loggingIn !== undefined) return this.loggingIn;
    const failed = this.failedLogin;
    if (failed !== undefined && this.now() < failed.untilMs) return Promise.reject(failed.error);
    const login = this.client
      .login(credentials)
      .then(
        ({ token, sentAtMs }): HeldToken => {
          const fresh = heldOf(token, sentAtMs);
          this.held = fresh;
          this.failedLogin = undefined;
          return fresh;
        },
        (error: unknown) => {
          const retryAfterMs = error instanceof RateLimitedError ? (error.retryAfterMs ?? 0) : 0;
          this.failedLogin = { error, untilMs: this.now() + Math.max(FAILED_LOGIN_SHARED_MS, retryAfterMs) };
          throw error;
        },
      )
      .finally(() => {
        this.loggingIn = undefined;
      });
    this.loggingIn = login;
    return login;
  }
}

/** A token and what may be told about it; the lifetime counts from `sinceMs` unless a JWT says otherwise. */
function heldOf(token: string, sinceMs: number): HeldToken {
  return { token, expiresAtMs: tokenExpiresAtMs(token, sinceMs), tokenId: tokenId(token) };
}
