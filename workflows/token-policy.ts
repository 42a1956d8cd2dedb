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

/** True when there is no token, or it expires within the refresh buffer of `nowMs`. */
export function needsTokenRefresh(token: TokenState | null, nowMs: number, bufferMs: number): boolean {
  return token === null || token.expiresAtMs - nowMs <= bufferMs + TOKEN_CLOCK_SLACK_MS;
}
