import { describe, expect, it } from 'vitest';
import { hasEndpointAccess } from '../../watttime/access';
import type { MyAccessResponse } from '../../watttime/schemas';

const access: MyAccessResponse = {
  signalTypes: [
    {
      signalType: 'co2_moer',
      regions: [
        { region: 'CAISO_NORTH', endpoints: [{ endpoint: 'v3/forecast', models: [] }, { endpoint: 'v3/signal-index', models: [] }] },
        { region: 'PJM_DC', endpoints: [{ endpoint: 'v3/signal-index', models: [] }] },
      ],
    },
  ],
};

describe('hasEndpointAccess', () => {
  it('finds an endpoint listed for the region and signal type, with or without the slash', () => {
    expect(hasEndpointAccess(access, { signalType: 'co2_moer', region: 'CAISO_NORTH', endpoint: '/v3/forecast' })).toBe(true);
    expect(hasEndpointAccess(access, { signalType: 'co2_moer', region: 'PJM_DC', endpoint: 'v3/signal-index' })).toBe(true);
  });

  it('says no for an endpoint, region or signal type the plan does not list', () => {
    expect(hasEndpointAccess(access, { signalType: 'co2_moer', region: 'PJM_DC', endpoint: '/v3/forecast' })).toBe(false);
    expect(hasEndpointAccess(access, { signalType: 'co2_moer', region: 'GB', endpoint: '/v3/signal-index' })).toBe(false);
    expect(hasEndpointAccess(access, { signalType: 'co2_aoer', region: 'CAISO_NORTH', endpoint: '/v3/forecast' })).toBe(false);
  });
});
