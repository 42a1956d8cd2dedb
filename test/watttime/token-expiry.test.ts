import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TOKEN_LIFETIME_SECONDS } from '../../common/limits';
import { tokenExpiresAtMs, tokenId } from '../../watttime/token-expiry';

const TOKEN_LIFETIME_MS = TOKEN_LIFETIME_SECONDS * 1000;

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown): string => `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;

describe('tokenExpiresAtMs', () => {
  const sentAtMs = Date.parse('2024-06-18T18:40:00Z');

  it('uses a JWT exp claim (seconds) when there is one', () => {
    const exp = sentAtMs / 1000 + 1800;
    expect(tokenExpiresAtMs(jwt({ iat: exp - 1800, exp }), sentAtMs + 5_000)).toBe(exp * 1000);
  });

  it('falls back to 30 minutes after the login request was sent', () => {
    expect(TOKEN_LIFETIME_MS).toBe(1_800_000);
    expect(tokenExpiresAtMs('opaque-token', sentAtMs)).toBe(sentAtMs + 1_800_000);
  });

  it.each([
    ['a JWT without exp', jwt({ iat: 1 })],
    ['a JWT with a string exp', jwt({ exp: '1718736000' })],
    ['a JWT whose payload is not JSON', `${encode({})}.bm90IGpzb24.sig`],
    ['a JWT whose payload is not an object', `${encode({})}.${encode(42)}.sig`],
    ['two segments', `${encode({})}.${encode({ exp: 1 })}`],
    ['an empty payload', `${encode({})}..sig`],
  ])('falls back for %s', (_name, token) => {
    expect(tokenExpiresAtMs(token, sentAtMs)).toBe(sentAtMs + TOKEN_LIFETIME_MS);
  });
});

describe('tokenId', () => {
  it('is the first 12 hex digits of the SHA-256 of the token', () => {
    const token = 'some-secret-token';
    expect(tokenId(token)).toBe(createHash('sha256').update(token).digest('hex').slice(0, 12));
    expect(tokenId(token)).toMatch(/^[0-9a-f]{12}$/);
    expect(tokenId(token)).not.toContain(token.slice(0, 6));
    expect(tokenId('another-token')).not.toBe(tokenId(token));
  });
});
