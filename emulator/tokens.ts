/** Bearer tokens with a lifetime fixed when they are issued, and a revoke switch. */
import { randomBytes } from 'node:crypto';

/**
 * `opaque`: random strings, as WattTime documents v3 tokens (nothing to decode).
 * `jwt`: JWT-shaped tokens with `iat`/`exp`, as v2 issued; a client that reads `exp` then learns a
 * lifetime shorter than WattTime's 30 minutes (the demo and end-to-end tests use 20-60 s).
 */
export type TokenFormat = 'opaque' | 'jwt';

interface TokenRecord {
  username: string;
  expiresAtMs: number;
}

export class TokenStore {
  private readonly live = new Map<string, TokenRecord>();
  private readonly everIssued: string[] = [];

  private ttlSeconds: number;

  constructor(
    ttlSeconds: number,
    private readonly format: TokenFormat = 'opaque',
  ) {
    this.ttlSeconds = TokenStore.checkedTtl(ttlSeconds);
  }

  private static checkedTtl(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds <= 0) throw new RangeError(`token TTL must be positive seconds: ${seconds}`);
    return seconds;
  }

  /** Applies to tokens issued from now on; a token's lifetime never changes once issued. */
  setTtlSeconds(seconds: number): void {
    this.ttlSeconds = TokenStore.checkedTtl(seconds);
  }

  issue(username: string, nowMs: number): string {
    const expiresAtMs = nowMs + this.ttlSeconds * 1000;
    const secret = randomBytes(32).toString('base64url');
    const token = this.format === 'opaque' ? secret : jwt(username, nowMs, expiresAtMs, secret);
    this.live.set(token, { username, expiresAtMs });
    this.everIssued.push(token);
    return token;
  }

  /** The username a token belongs to, or undefined if unknown, revoked or expired. */
  verify(token: string, nowMs: number): string | undefined {
    const record = this.live.get(token);
    if (record === undefined) return undefined;
    if (nowMs >= record.expiresAtMs) {
      this.live.delete(token);
      return undefined;
    }
    return record.username;
  }

  revokeAll(): number {
    const count = this.live.size;
    this.live.clear();
    return count;
  }

  /** Every token ever issued, revoked or not, so tests can search logs for leaks. */
  issued(): readonly string[] {
    return [...this.everIssued];
  }
}

/** An HS256-shaped JWT; the signature is random bytes, since only this emulator verifies it. */
function jwt(username: string, issuedAtMs: number, expiresAtMs: number, signature: string): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { sub: username, iat: Math.floor(issuedAtMs / 1000), exp: Math.floor(expiresAtMs / 1000) };
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.${signature}`;
}
