import { createHash } from 'node:crypto';
import { TOKEN_LIFETIME_SECONDS } from '../common/limits';

/**
 * When a token stops working. A JWT with a numeric `exp` says so itself (v2 tokens did; for v3
 * this is unverified); anything else lives 30 minutes from `sentAtMs`, the moment the login
 * request left, so a slow answer cannot make us believe the token lives longer than it does.
 */
export function tokenExpiresAtMs(token: string, sentAtMs: number): number {
  const exp = jwtExpirySeconds(token);
  return exp === undefined ? sentAtMs + TOKEN_LIFETIME_SECONDS * 1000 : exp * 1000;
}

function jwtExpirySeconds(token: string): number | undefined {
  const parts = token.split('.');
  const payload = parts[1];
  if (parts.length !== 3 || payload === undefined || payload === '') return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null || !('exp' in claims)) return undefined;
    const exp = claims.exp;
    return typeof exp === 'number' && Number.isFinite(exp) && exp > 0 ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A short, non-reversible name for a token (first 12 hex digits of its SHA-256), safe for logs,
 * query results and workflow history, where the token itself must never go.
 */
export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}
