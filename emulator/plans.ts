/**
 * What an account's plan allows. CAISO_NORTH and the account's listed regions get every data
 * endpoint for every signal type (the index exists for `co2_moer` only); any other known region
 * gets only `/v3/signal-index` (the free-plan behaviour that WATTTIME.md describes).
 */
import type { EmulatorAccount } from './accounts';
import { findRegion, FREE_FULL_ACCESS_REGION, isSyntheticRegion, KNOWN_REGIONS, type RegionInfo } from './regions';
import { SIGNAL_SPECS, type KnownSignalType } from './signals';

export type V3Endpoint = 'v3/signal-index' | 'v3/forecast' | 'v3/historical' | 'v3/forecast/historical';

const DATA_ENDPOINTS: readonly V3Endpoint[] = ['v3/forecast', 'v3/historical', 'v3/forecast/historical'];

function hasFullAccess(account: EmulatorAccount, region: string): boolean {
  return region === FREE_FULL_ACCESS_REGION || account.regions.includes(region);
}

/** Endpoints the account may call for a known region and signal type. */
export function allowedEndpoints(
  account: EmulatorAccount,
  region: string,
  signalType: KnownSignalType,
): readonly V3Endpoint[] {
  const full = hasFullAccess(account, region);
  switch (signalType) {
    case 'co2_moer':
      return full ? ['v3/signal-index', ...DATA_ENDPOINTS] : ['v3/signal-index'];
    case 'co2_aoer':
    case 'health_damage':
      return full ? DATA_ENDPOINTS : [];
  }
}

interface MyAccessModel {
  model: string;
  data_start: string;
  train_start: string;
  train_end: string;
}

export interface MyAccessResponse {
  signal_types: {
    signal_type: string;
    regions: {
      region: string;
      region_full_name: string;
      parent: string;
      data_point_period_seconds: number;
      endpoints: { endpoint: V3Endpoint; models: MyAccessModel[] }[];
    }[];
  }[];
}

/** The `/v3/my-access` body: only what the plan allows, optionally narrowed by region / signal. */
export function myAccess(
  account: EmulatorAccount,
  filter: { region?: string; signalType?: KnownSignalType },
): MyAccessResponse {
  const signalTypes = (Object.keys(SIGNAL_SPECS) as KnownSignalType[]).filter(
    (s) => filter.signalType === undefined || s === filter.signalType,
  );
  const listed: readonly RegionInfo[] = [
    ...KNOWN_REGIONS,
    ...account.regions.filter(isSyntheticRegion).flatMap((region) => findRegion(region) ?? []),
  ];
  const regions = listed.filter((r) => filter.region === undefined || r.region === filter.region);
  return {
    signal_types: signalTypes.flatMap((signalType) => {
      const spec = SIGNAL_SPECS[signalType];
      const model: MyAccessModel = {
        model: spec.model.date,
        data_start: '2018-01-01T00:00:00+00:00',
        train_start: '2019-01-01T00:00:00+00:00',
        train_end: `${spec.model.date}T00:00:00+00:00`,
      };
      const regionEntries = regions.flatMap((info) => {
        const endpoints = allowedEndpoints(account, info.region, signalType);
        if (endpoints.length === 0) return [];
        return [
          {
            region: info.region,
            region_full_name: info.fullName,
            parent: info.parent,
            data_point_period_seconds: spec.periodSeconds,
            endpoints: endpoints.map((endpoint) => ({ endpoint, models: [model] })),
          },
        ];
      });
      return regionEntries.length === 0 ? [] : [{ signal_type: signalType, regions: regionEntries }];
    }),
  };
}
