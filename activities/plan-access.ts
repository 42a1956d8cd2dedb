import { hasEndpointAccess } from './watttime/access';
import type { WattTimeClient } from './watttime/client';
import type { MyAccessResponse } from './watttime/schemas';

/** Plans change rarely; an hour-old answer is fresh enough and costs one call per account. */
export const PLAN_ACCESS_TTL_MS = 60 * 60_000;

export interface PlanAccessOptions {
  client: Pick<WattTimeClient, 'myAccess'>;
  ttlMs?: number;
  now?: () => number;
}

export interface PlanScope {
  region: string;
  signalType: string;
}

interface Entry {
  access: Promise<MyAccessResponse>;
  fetchedAtMs: number;
}

/**
 * What each account's plan allows, from `/v3/my-access`, cached per process. One answer covers
 * every region and signal type of the account, so the cache is keyed by account and the
 * region / signal lookup is done on the cached answer: 100 regions share one call an hour.
 * Concurrent callers share a call in flight; a failed call is not cached.
 */
export class PlanAccess {
  private readonly client: Pick<WattTimeClient, 'myAccess'>;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();

  constructor(options: PlanAccessOptions) {
    this.client = options.client;
    this.ttlMs = options.ttlMs ?? PLAN_ACCESS_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Whether the account may call `/v3/forecast` for this region and signal type. */
  async hasForecast(username: string, token: string, scope: PlanScope): Promise<boolean> {
    const access = await this.accessOf(username, token);
    return hasEndpointAccess(access, { ...scope, endpoint: 'v3/forecast' });
  }

  /** Whether the account may call `/v3/historical` (and so backfill) for this region and signal type. */
  async hasHistorical(username: string, token: string, scope: PlanScope): Promise<boolean> {
    const access = await this.accessOf(username, token);
    return hasEndpointAccess(access, { ...scope, endpoint: 'v3/historical' });
  }

  /** Drops the account's answer, e.g. after WattTime refused a call the plan said was allowed. */
  forget(username: string): void {
    this.entries.delete(username);
  }

  private accessOf(username: string, token: string): Promise<MyAccessResponse> {
    const cached = this.entries.get(username);
    if (cached !== undefined && this.now() - cached.fetchedAtMs < this.ttlMs) return cached.access;
    const entry: Entry = { access: this.client.myAccess(token), fetchedAtMs: this.now() };
    this.entries.set(username, entry);
    entry.access.catch(() => {
      if (this.entries.get(username) === entry) this.entries.delete(username);
    });
    return entry.access;
  }
}
