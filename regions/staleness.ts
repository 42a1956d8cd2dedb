import { UNHEALTHY_AFTER_MS, type RegionHealth } from '../workflows/health';

/**
 * A region's health judged at the reader's own clock (`nowMs`). The workflow computes its status
 * at its own latest step, so between steps — a fetch waiting on retries, a success growing old —
 * it can look better than it is. Readers (`GET /health`, `client health`) re-judge from
 * `lastSuccessfulFetch` and the fetch in progress; they only ever make a status worse:
 *
 * 1. `paused` and `unhealthy` stay as they are.
 * 2. `unhealthy` — the last success is 30 minutes old or more (or none, and the fetch under way
 *    started that long ago).
 * 3. `degraded` — a fetch is under way and its previous attempt failed.
 * 4. `degraded` — no success for more than two intervals and a minute: fetches stopped happening.
 */
export function judgedAt(health: RegionHealth, nowMs: number): RegionHealth {
  if (health.status === 'paused' || health.status === 'unhealthy') return health;
  const lastSuccessMs = health.lastSuccessfulFetch === null ? null : Date.parse(health.lastSuccessfulFetch);
  const fetch = health.fetchInProgress ?? null;
  const retrying =
    fetch !== null && fetch.lastFailure !== undefined && fetch.lastFailure !== null
      ? `fetch retrying since ${fetch.since} (attempt ${fetch.attempt ?? '?'}, last failure ${fetch.lastFailure.type})`
      : null;
  const since = lastSuccessMs ?? (fetch === null ? null : Date.parse(fetch.since));
  const ageMs = since === null ? null : nowMs - since;
  const withRetry = (reason: string): string => (retrying === null ? reason : `${reason}; ${retrying}`);

  if (ageMs !== null && ageMs >= UNHEALTHY_AFTER_MS) {
    const age = lastSuccessMs === null ? 'no success yet' : `no success for ${Math.floor(ageMs / 60_000)} minutes`;
    return { ...health, status: 'unhealthy', statusReason: withRetry(`${age} (last checked ${new Date(nowMs).toISOString()})`) };
  }
  if (health.status !== 'healthy') return health;
  if (retrying !== null) return { ...health, status: 'degraded', statusReason: retrying };
  const overdueAfterMs = 2 * health.intervalSeconds * 1000 + 60_000;
  if (lastSuccessMs !== null && ageMs !== null && ageMs > overdueAfterMs) {
    return { ...health, status: 'degraded', statusReason: `no success for ${Math.floor(ageMs / 60_000)} minutes; next fetch was due at ${health.nextFetchAt ?? 'unknown'}` };
  }
  return health;
}
