import type { WattTimeSession } from '../watttime/session';

export interface PlanCheck {
  /** Regions the account may read (at least `/v3/signal-index`). */
  readonly allowed: string[];
  /** Regions outside the plan, each with the reason shown to the user. */
  readonly refused: { region: string; reason: string }[];
}

/**
 * Checks regions against `/v3/my-access` before any workflow starts, so a region outside the
 * plan is refused with a clear message instead of a workflow that can only fail. The session
 * uses the token the worker would: the static token first when one is set, else a login.
 *
 * @throws InvalidCredentialsError when the account cannot log in, or its static token is rejected without a password.
 */
export async function checkRegionsAgainstPlan(
  session: WattTimeSession,
  regions: readonly string[],
  signalType: string,
): Promise<PlanCheck> {
  const result: PlanCheck = { allowed: [], refused: [] };
  for (const region of regions) {
    const readable = await session.withFreshToken(() => session.plan.canRead({ region, signalType }));
    if (readable) result.allowed.push(region);
    else result.refused.push({ region, reason: `${region} (${signalType}) is outside the WattTime plan of ${session.username}` });
  }
  return result;
}
