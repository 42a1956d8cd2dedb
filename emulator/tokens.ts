/** Opaque bearer tokens with a lifetime fixed when they are issued, and a revoke switch. */
import { randomBytes } from 'node:crypto';

interface TokenRecord {
  username: string;
  expiresAtMs: number;
}

export class TokenStore {
  private readonly live = new Map<string, TokenRecord>();
  private readonly everIssued: string[] = [];

  private ttlSeconds: number;

  constructor(ttlSeconds: number) {
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
    // Opaque on purpose: WattTime documents no structure, so clients must not decode it.
    const token = randomBytes(32).toString('base64url');
    this.live.set(token, { username, expiresAtMs: nowMs + this.ttlSeconds * 1000 });
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
