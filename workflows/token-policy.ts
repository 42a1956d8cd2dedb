/** When the workflow asks its activity for a fresh WattTime token. */

/** What the workflow remembers of the token the worker holds: never the token itself. */
export interface TokenState {
  /** When WattTime stops accepting it (ms since epoch), as the activity reported. */
  readonly expiresAtMs: number;
  /** Non-reversible id (sha256 prefix), to tell tokens apart in history and health. */
  readonly tokenId: string;
}

/**
 * Timers fire, and activities are scheduled, a little after the instant the workflow planned
 * (task processing time). On the 5-minute grid a 30-minute token reaches "5 minutes left" exactly
 * at a fetch slot, so without this slack that lag alone would decide, run by run, whether the
 * token is refreshed now or one period later. Counting a few seconds above the buffer as inside
 * it makes the decision stable.
 */
export const TOKEN_CLOCK_SLACK_MS = 5_000;

/** The moment a token enters the refresh window: buffer (plus the slack) before it expires. */
export function tokenRefreshDueAtMs(token: TokenState, bufferMs: number): number {
  return token.expiresAtMs - bufferMs - TOKEN_CLOCK_SLACK_MS;
}

/** True when there is no token, or it expires within the refresh buffer of `nowMs`. */
export function needsTokenRefresh(token: TokenState | null, nowMs: number, bufferMs: number): boolean {
  return token === null || nowMs >= tokenRefreshDueAtMs(token, bufferMs);
}

/**
 * When to refresh the held token between fetches, so it never runs out while the workflow waits:
 * the moment it enters the refresh window. Null when there is nothing to keep fresh (no token:
 * the next fetch logs in), or when the token was already inside its window when it was obtained
 * (`obtainedAtMs`) — tokens that live no longer than buffer + slack; refreshing again at once
 * would only bring another such token, so the fetch refreshes it instead, as it always has.
 */
export function proactiveRefreshAtMs(token: TokenState | null, obtainedAtMs: number | null, bufferMs: number): number | null {
  if (token === null) return null;
  const dueAtMs = tokenRefreshDueAtMs(token, bufferMs);
  return obtainedAtMs !== null && dueAtMs <= obtainedAtMs ? null : dueAtMs;
}
