import { hasEndpointAccess } from '../activities/watttime/access';
import type { WattTimeClient } from '../activities/watttime/client';
import { TokenRejectedError } from '../activities/watttime/errors';
import type { MyAccessResponse } from '../activities/watttime/schemas';
import { TokenCache } from '../activities/watttime/token-cache';

/** The account as configured: a password to log in with, a static token, or both. */
export interface WattTimeAccount {
  readonly username: string;
  readonly password?: string;
  readonly apiToken?: string;
}

export interface PlanCheck {
  /** Regions the account may read (at least `/v3/signal-index`). */
  readonly allowed: string[];
  /** Regions outside the plan, each with the reason shown to the user. */
  readonly refused: { region: string; reason: string }[];
}

/**
 * Checks regions against `/v3/my-access` before any workflow starts, so a region outside the
 * plan is refused with a clear message instead of a workflow that can only fail.
 */
export async function checkRegionsAgainstPlan(
  wattTime: WattTimeClient,
  account: WattTimeAccount,
  regions: readonly string[],
  signalType: string,
): Promise<PlanCheck> {
  const access = await accountAccess(wattTime, account);
  const result: PlanCheck = { allowed: [], refused: [] };
  for (const region of regions) {
    const scope = { signalType, region };
    const readable =
      hasEndpointAccess(access, { ...scope, endpoint: 'v3/forecast' }) ||
      hasEndpointAccess(access, { ...scope, endpoint: 'v3/signal-index' });
    if (readable) result.allowed.push(region);
    else result.refused.push({ region, reason: `${region} (${signalType}) is outside the WattTime plan of ${account.username}` });
  }
  return result;
}

/**
 * `/v3/my-access` with the token the worker would use: the static token first when one is set,
 * else a login. A rejected static token means a login when there is a password, and otherwise a
 * clear failure naming WATTTIME_API_TOKEN — the same rules as the worker's token cache.
 */
async function accountAccess(wattTime: WattTimeClient, account: WattTimeAccount): Promise<MyAccessResponse> {
  const { username, password, apiToken } = account;
  const tokens = new TokenCache({
    client: wattTime,
    refreshBufferMs: 0,
    ...(apiToken === undefined ? {} : { staticToken: { username, token: apiToken } }),
  });
  const credentials = password === undefined ? { username } : { username, password };
  await tokens.ensure(credentials);
  const held = tokens.current(username);
  try {
    return await wattTime.myAccess(held.token);
  } catch (error) {
    if (!(error instanceof TokenRejectedError)) throw error;
    tokens.invalidate(username, held.token);
    await tokens.ensure(credentials, { force: true });
    return wattTime.myAccess(tokens.current(username).token);
  }
}
