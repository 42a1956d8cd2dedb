import { describe, expect, it } from 'vitest';
import { needsTokenRefresh, proactiveRefreshAtMs, TOKEN_CLOCK_SLACK_MS, tokenRefreshDueAtMs } from '../../workflows/token-policy';

const MIN = 60_000;
const T0 = Date.parse('2026-11-01T12:00:00Z');
const BUFFER = 5 * MIN;
/** A 30-minute token obtained at T0. */
const token = { expiresAtMs: T0 + 30 * MIN, tokenId: 'abc123' };

describe('token refresh policy', () => {
  it('is due the buffer plus the clock slack before expiry', () => {
    expect(tokenRefreshDueAtMs(token, BUFFER)).toBe(T0 + 25 * MIN - TOKEN_CLOCK_SLACK_MS);
  });

  it('needs a refresh without a token, or from the moment it is due, not a millisecond before', () => {
    expect(needsTokenRefresh(null, T0, BUFFER)).toBe(true);
    const due = tokenRefreshDueAtMs(token, BUFFER);
    expect(needsTokenRefresh(token, due - 1, BUFFER)).toBe(false);
    expect(needsTokenRefresh(token, due, BUFFER)).toBe(true);
    // The 5-minute fetch slot at 25 minutes lands a few seconds late; it still refreshes.
    expect(needsTokenRefresh(token, T0 + 25 * MIN - 2_000, BUFFER)).toBe(true);
  });

  it('refreshes between fetches when the token enters its window', () => {
    expect(proactiveRefreshAtMs(token, T0, BUFFER)).toBe(tokenRefreshDueAtMs(token, BUFFER));
    expect(proactiveRefreshAtMs(null, T0, BUFFER)).toBeNull();
  });

  it('does not refresh between fetches a token that was inside its window when obtained', () => {
    const shortLived = { expiresAtMs: T0 + 4 * MIN, tokenId: 'short' };
    expect(proactiveRefreshAtMs(shortLived, T0, BUFFER)).toBeNull();
    // Never obtained by this run (carried over): refresh it when due.
    expect(proactiveRefreshAtMs(shortLived, null, BUFFER)).toBe(T0 + 4 * MIN - BUFFER - TOKEN_CLOCK_SLACK_MS);
  });
});
