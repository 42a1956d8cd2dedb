/**
 * Longest span asked of `/v3/historical` in one request. The API allows 32 days, but 30-day
 * pulls have taken minutes server-side, so backfill stays at 10 days per request. Shared by the
 * WattTime client (which splits any range) and the workflow (which backfills one such chunk at a
 * time). Plain constants only: this module is bundled into the workflow sandbox.
 */
export const MAX_HISTORICAL_CHUNK_MS = 10 * 24 * 60 * 60_000;
