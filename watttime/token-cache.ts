import type { WattTimeClient, WattTimeCredentials } from './client';
import { TOKEN_REFRESH_BUFFER_SECONDS } from '../common/limits';
import { InvalidCredentialsError, TokenRejectedError } from './errors';
import { tokenExpiresAtMs, tokenId } from './token-expiry';

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
   * is held, the held one expires before that, or `force` is set (after a 401). A login already in
   * flight is always joined, forced or not: it was started because the held token is not to be
   * trusted.
   *
   * @throws InvalidCredentialsError when `/login` refuses the account, or when there is no password
   *   and the static token was rejected or has expired; other `WattTimeError`s from `/login`.
   */
  async ensure(opts: { force?: boolean; validUntilMs?: number } = {}): Promise<EnsuredToken> {
    const held = this.held;
    const validUntilMs = opts.validUntilMs ?? this.now() + this.refreshBufferMs;
    const fresh = held !== undefined && validUntilMs < held.expiresAtMs;
    if (fresh && opts.force !== true && this.loggingIn === undefined) {
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
   * The held token while it has not expired. Without one (e.g. after a worker restart) this
   * fails exactly like a 401, so the workflow's refresh-then-retry takes over.
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
    const login = this.client
      .login(credentials)
      .then(({ token, sentAtMs }): HeldToken => {
        const fresh = heldOf(token, sentAtMs);
        this.held = fresh;
        return fresh;
      })
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
