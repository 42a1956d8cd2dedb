import { hasEndpointAccess } from '../activities/watttime/access';
import type { WattTimeClient, WattTimeCredentials } from '../activities/watttime/client';

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
  credentials: WattTimeCredentials,
  regions: readonly string[],
  signalType: string,
): Promise<PlanCheck> {
  const { token } = await wattTime.login(credentials);
  const access = await wattTime.myAccess(token);
  const result: PlanCheck = { allowed: [], refused: [] };
  for (const region of regions) {
    const scope = { signalType, region };
    const readable =
      hasEndpointAccess(access, { ...scope, endpoint: 'v3/forecast' }) ||
      hasEndpointAccess(access, { ...scope, endpoint: 'v3/signal-index' });
    if (readable) result.allowed.push(region);
    else result.refused.push({ region, reason: `${region} (${signalType}) is outside the WattTime plan of ${credentials.username}` });
  }
  return result;
}
