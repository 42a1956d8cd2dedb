import type { WattTimeClient, WattTimeCredentials } from './client';
import { TokenRejectedError } from './errors';
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

export interface TokenCacheOptions {
  client: Pick<WattTimeClient, 'login'>;
  /** Log in again when the held token expires within this long. */
  refreshBufferMs: number;
  now?: () => number;
}

/**
 * Process-wide WattTime tokens, one per account username, with single-flight login: however
 * many regions ask at once, an account has at most one login in flight, which all of them share.
 * WattTime allows 100 logins per 5 minutes per user.
 */
export class TokenCache {
  private readonly client: Pick<WattTimeClient, 'login'>;
  private readonly refreshBufferMs: number;
  private readonly now: () => number;
  private readonly held = new Map<string, HeldToken>();
  private readonly loggingIn = new Map<string, Promise<HeldToken>>();

  constructor(options: TokenCacheOptions) {
    this.client = options.client;
    this.refreshBufferMs = options.refreshBufferMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * A token valid until `validUntilMs` (default: the refresh buffer from now). Logs in when none
   * is held, the held one expires before that, or `force` is set (after a 401). A login already in
   * flight is always joined, forced or not: it was started because the held token is not to be
   * trusted.
   */
  async ensure(credentials: WattTimeCredentials, opts: { force?: boolean; validUntilMs?: number } = {}): Promise<EnsuredToken> {
    const { username } = credentials;
    const held = this.held.get(username);
    const validUntilMs = opts.validUntilMs ?? this.now() + this.refreshBufferMs;
    const fresh = held !== undefined && validUntilMs < held.expiresAtMs;
    if (fresh && opts.force !== true && !this.loggingIn.has(username)) {
      return { expiresAtMs: held.expiresAtMs, tokenId: held.tokenId, loggedIn: false };
    }
    const token = await this.login(credentials);
    return { expiresAtMs: token.expiresAtMs, tokenId: token.tokenId, loggedIn: true };
  }

  /**
   * The held token while it has not expired. Without one (e.g. after a worker restart) this
   * fails exactly like a 401, so the workflow's refresh-then-retry takes over.
   */
  current(username: string): HeldToken {
    const held = this.held.get(username);
    if (held === undefined || this.now() >= held.expiresAtMs) {
      throw new TokenRejectedError({ endpoint: 'token cache', detail: 'no usable token held for this account' });
    }
    return { ...held };
  }

  /** Drops the token after WattTime rejected it, unless a newer one has replaced it meanwhile. */
  invalidate(username: string, token: string): void {
    if (this.held.get(username)?.token === token) this.held.delete(username);
  }

  private login(credentials: WattTimeCredentials): Promise<HeldToken> {
    const { username } = credentials;
    const inFlight = this.loggingIn.get(username);
    if (inFlight !== undefined) return inFlight;
    const login = this.client
      .login(credentials)
      .then(({ token, sentAtMs }): HeldToken => {
        const fresh = { token, expiresAtMs: tokenExpiresAtMs(token, sentAtMs), tokenId: tokenId(token) };
        this.held.set(username, fresh);
        return fresh;
      })
      .finally(() => this.loggingIn.delete(username));
    this.loggingIn.set(username, login);
    return login;
  }
}
