import { hasEndpointAccess } from './access';
import type { MyAccessResponse } from './schemas';

/** Plans change rarely; an hour-old answer is fresh enough and costs one call per account. */
export const PLAN_ACCESS_TTL_MS = 60 * 60_000;

export interface PlanAccessOptions {
  /** `/v3/my-access` for the account, with its held token. */
  myAccess: () => Promise<MyAccessResponse>;
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
 * What one account's plan allows, from `/v3/my-access`, cached per process. One answer covers
 * every region and signal type of the account, and the region / signal lookup is done on the
 * cached answer: 100 regions share one call an hour. Concurrent callers share a call in flight;
 * a failed call is not cached.
 */
export class PlanAccess {
  private readonly myAccess: () => Promise<MyAccessResponse>;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private entry: Entry | undefined;

  constructor(options: PlanAccessOptions) {
    this.myAccess = options.myAccess;
    this.ttlMs = options.ttlMs ?? PLAN_ACCESS_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Whether the account may call `/v3/forecast` for this region and signal type. */
  async hasForecast(scope: PlanScope): Promise<boolean> {
    return hasEndpointAccess(await this.access(), { ...scope, endpoint: 'v3/forecast' });
  }

  /** Whether the account may call `/v3/historical` (and so backfill) for this region and signal type. */
  async hasHistorical(scope: PlanScope): Promise<boolean> {
    return hasEndpointAccess(await this.access(), { ...scope, endpoint: 'v3/historical' });
  }

  /** Whether the account may read the region at all: its forecast or at least its signal index. */
  async canRead(scope: PlanScope): Promise<boolean> {
    const access = await this.access();
    return (
      hasEndpointAccess(access, { ...scope, endpoint: 'v3/forecast' }) ||
      hasEndpointAccess(access, { ...scope, endpoint: 'v3/signal-index' })
    );
  }

  /** Drops the cached answer, e.g. after WattTime refused a call the plan said was allowed. */
  forget(): void {
    this.entry = undefined;
  }

  private access(): Promise<MyAccessResponse> {
    const cached = this.entry;
    if (cached !== undefined && this.now() - cached.fetchedAtMs < this.ttlMs) return cached.access;
    const entry: Entry = { access: this.myAccess(), fetchedAtMs: this.now() };
    this.entry = entry;
    entry.access.catch(() => {
      if (this.entry === entry) this.entry = undefined;
    });
    return entry.access;
  }
}
