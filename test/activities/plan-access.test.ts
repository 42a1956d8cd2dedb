import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../watttime/errors';
import { PlanAccess } from '../../watttime/plan-access';
import { WattTimeSession } from '../../watttime/session';
import { checkRegionsAgainstPlan } from '../../client/plan-check';
import { startEmulator } from '../../emulator/server';
import { ACCOUNT, FakeClock, MINUTE } from './support';

const CAISO = { region: 'CAISO_NORTH', signalType: 'co2_moer' };
const PJM = { region: 'PJM_DC', signalType: 'co2_moer' };

async function setup() {
  const clock = new FakeClock();
  // Tokens outlive the simulated hours here: this is about the plan, not the token.
  const emulator = await startEmulator({
    now: clock.now,
    accounts: [{ ...ACCOUNT, regions: ['DE'] }],
    tokenTtlSeconds: 86_400,
  });
  const session = new WattTimeSession({ account: ACCOUNT, baseUrl: emulator.url, now: clock.now });
  const access = new PlanAccess({ myAccess: () => session.myAccess(), now: clock.now });
  const myAccessCalls = (): number => emulator.control.counters().callsByEndpoint['/v3/my-access'] ?? 0;
  return {
    clock,
    emulator,
    access,
    myAccessCalls,
    // A held token first, as the activities have one: the client counts 30 minutes for the emulator's opaque tokens.
    hasForecast: async (scope: { region: string; signalType: string }) => {
      await session.ensureToken();
      return access.hasForecast(scope);
    },
    close: async () => {
      await session.close();
      await emulator.close();
    },
  };
}

describe('PlanAccess', () => {
  it('tells from /v3/my-access which regions and signal types have the forecast', async () => {
    const env = await setup();
    try {
      expect(await env.hasForecast(CAISO)).toBe(true);
      expect(await env.hasForecast({ region: 'DE', signalType: 'co2_moer' })).toBe(true);
      expect(await env.hasForecast(PJM)).toBe(false);
      expect(await env.hasForecast({ region: 'CAISO_NORTH', signalType: 'health_damage' })).toBe(true);
      expect(await env.hasForecast({ region: 'PJM_DC', signalType: 'health_damage' })).toBe(false);
    } finally {
      await env.close();
    }
  });

  it('asks once per account per hour, sharing a call in flight', async () => {
    const env = await setup();
    try {
      await Promise.all([env.hasForecast(CAISO), env.hasForecast(PJM), env.hasForecast(CAISO)]);
      env.clock.advance(59 * MINUTE);
      await env.hasForecast(PJM);
      expect(env.myAccessCalls()).toBe(1);

      env.clock.advance(MINUTE);
      await env.hasForecast(PJM);
      expect(env.myAccessCalls()).toBe(2);
    } finally {
      await env.close();
    }
  });

  it('does not cache a failed call, and asks again after forget', async () => {
    const env = await setup();
    try {
      env.emulator.control.setFaults({ serverErrorRate: 1 });
      await expect(env.hasForecast(CAISO)).rejects.toBeInstanceOf(UnavailableError);
      env.emulator.control.resetFaults();
      expect(await env.hasForecast(CAISO)).toBe(true);
      expect(env.myAccessCalls()).toBe(2);

      env.access.forget();
      await env.hasForecast(CAISO);
      expect(env.myAccessCalls()).toBe(3);
    } finally {
      await env.close();
    }
  });
});

describe('the plan check of `client start`, for every signal type', () => {
  it.each([
    ['co2_moer', ['CAISO_NORTH', 'DE', 'PJM_DC'], []],
    ['co2_aoer', ['CAISO_NORTH', 'DE'], ['PJM_DC']],
    ['health_damage', ['CAISO_NORTH', 'DE'], ['PJM_DC']],
  ])('%s: allows the regions the plan covers and refuses the others by name', async (signalType, allowed, refused) => {
    const emulator = await startEmulator({ accounts: [{ ...ACCOUNT, regions: ['DE'] }] });
    const session = new WattTimeSession({ account: ACCOUNT, baseUrl: emulator.url });
    try {
      const check = await checkRegionsAgainstPlan(session, ['CAISO_NORTH', 'DE', 'PJM_DC'], signalType);

      expect(check.allowed).toEqual(allowed);
      expect(check.refused).toEqual(refused.map((region) => ({ region, reason: `${region} (${signalType}) is outside the WattTime plan of ${ACCOUNT.username}` })));
    } finally {
      await session.close();
      await emulator.close();
    }
  });
});
