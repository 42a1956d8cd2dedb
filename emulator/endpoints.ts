/**
 * The `/v3` data endpoints, for an already authenticated account. Bodies follow the shapes in
 * WATTTIME.md; values come from the pure functions in `data.ts`.
 */
import type { EmulatorAccount } from './accounts';
import { forecastValueAt, indexAt, lastUpdatedAt, signalValueAt } from './data';
import type { FaultSettings } from './faults';
import { ReplyError, errorReply, jsonReply, type Reply } from './http';
import { allowedEndpoints, myAccess, type V3Endpoint } from './plans';
import {
  badRequest,
  booleanParam,
  checkRegion,
  checkSignalType,
  coordinateParam,
  horizonHoursParam,
  optionalParam,
  requiredParam,
  requiredTimeParam,
  timeParam,
} from './query';
import { regionAt } from './regions';
import { INDEX_UNITS, SIGNAL_SPECS, type KnownSignalType, type SignalSpec } from './signals';
import { formatTime, nextPeriodStartAtOrAfter, periodStart } from './time';

export interface DataCall {
  account: EmulatorAccount;
  nowMs: number;
  /** The time the live feed (`/v3/forecast`, `/v3/signal-index`) answers for: `nowMs` unless it is stuck. */
  feedNowMs: number;
  query: URLSearchParams;
  /** Publication delay, revisions, imputed marker and units override apply to the answers. */
  faults: FaultSettings;
}

export type EndpointHandler = (call: DataCall) => Reply;

const DAY_MS = 86_400_000;
const MAX_HISTORICAL_RANGE_MS = 32 * DAY_MS;
const MAX_FORECAST_HISTORICAL_RANGE_MS = DAY_MS;

interface Scope {
  region: string;
  signalType: KnownSignalType;
  spec: SignalSpec;
  /** `meta.units` of the signal's values: the documented one unless a fault overrides it. */
  units: string;
}

/** Region and signal type of a call, after checking them against the account's plan. */
function scopeOf(call: DataCall, endpoint: V3Endpoint): Scope {
  const region = requiredParam(call.query, 'region');
  const signalText = requiredParam(call.query, 'signal_type');
  checkRegion(region);
  const signalType = checkSignalType(signalText);
  if (!allowedEndpoints(call.account, region, signalType).includes(endpoint)) {
    // 403 with a JSON `message` starting "Invalid scope", as WattTime answers out-of-plan calls.
    const message = `Invalid scope: ${endpoint} for region ${region} and signal_type ${signalType} is not in your plan`;
    throw new ReplyError(jsonReply(403, { message }));
  }
  const spec = SIGNAL_SPECS[signalType];
  const model = optionalParam(call.query, 'model');
  if (model !== undefined && model !== spec.model.date) badRequest('invalid_model', `Unknown model: ${model}`);
  return { region, signalType, spec, units: call.faults.unitsOverride === '' ? spec.units : call.faults.unitsOverride };
}

function meta(scope: Scope, units: string = scope.units): Record<string, unknown> {
  return {
    data_point_period_seconds: scope.spec.periodSeconds,
    region: scope.region,
    signal_type: scope.signalType,
    units,
    warnings: [],
    model: { ...scope.spec.model },
  };
}


/** Aligned period starts from the first at or after `fromMs` to the last at or before `toMs`. */
function periodsBetween(fromMs: number, toMs: number, periodSeconds: number): number[] {
  const times: number[] = [];
  for (let t = nextPeriodStartAtOrAfter(fromMs, periodSeconds); t <= toMs; t += periodSeconds * 1000) times.push(t);
  return times;
}

/** A forecast made at `generatedAtMs`: `horizon_hours` of points, and always the first one. */
function forecastPoints(scope: Scope, generatedAtMs: number, horizonHours: number): { point_time: string; value: number }[] {
  const count = Math.max(1, (horizonHours * 3600) / scope.spec.periodSeconds);
  return Array.from({ length: count }, (_, i) => {
    const pointTimeMs = generatedAtMs + i * scope.spec.periodSeconds * 1000;
    return {
      point_time: formatTime(pointTimeMs),
      value: forecastValueAt(scope.region, generatedAtMs, pointTimeMs, scope.signalType),
    };
  });
}

/** Start and end of a range request, checked for order and length. */
function rangeOf(call: DataCall, maxMs: number, maxText: string): { startMs: number; endMs: number } {
  const startMs = requiredTimeParam(call.query, 'start');
  const endMs = requiredTimeParam(call.query, 'end');
  if (endMs < startMs) badRequest('invalid_range', 'end must not be before start');
  if (endMs - startMs > maxMs) badRequest('range_too_long', `The requested range exceeds ${maxText}`);
  return { startMs, endMs };
}

const signalIndex: EndpointHandler = (call) => {
  const scope = scopeOf(call, 'v3/signal-index');
  const current = periodStart(call.feedNowMs, scope.spec.periodSeconds);
  return jsonReply(200, {
    data: [{ point_time: formatTime(current), value: indexAt(scope.region, current) }],
    meta: meta(scope, INDEX_UNITS),
  });
};

const forecast: EndpointHandler = (call) => {
  const scope = scopeOf(call, 'v3/forecast');
  const horizonHours = horizonHoursParam(call.query);
  const generatedAt = periodStart(call.feedNowMs, scope.spec.periodSeconds);
  return jsonReply(200, {
    data: forecastPoints(scope, generatedAt, horizonHours),
    meta: { ...meta(scope), generated_at: formatTime(generatedAt), generated_at_period_seconds: scope.spec.periodSeconds },
  });
};

const historical: EndpointHandler = (call) => {
  const scope = scopeOf(call, 'v3/historical');
  const { startMs, endMs } = rangeOf(call, MAX_HISTORICAL_RANGE_MS, '32 days');
  const updatedSinceMs = timeParam(call.query, 'updated_since');
  const imputedMarker = booleanParam(call.query, 'include_imputed_marker');
  // Nothing exists beyond the current period, nor what is not yet published.
  const { publicationDelaySeconds, historicalRevision, historicalImputed } = call.faults;
  const lastMs = Math.min(endMs, periodStart(call.nowMs - publicationDelaySeconds * 1000, scope.spec.periodSeconds));
  const data = periodsBetween(startMs, lastMs, scope.spec.periodSeconds)
    .map((t) => ({ t, lastUpdatedMs: lastUpdatedAt(t, call.nowMs) }))
    .filter(({ lastUpdatedMs }) => updatedSinceMs === undefined || lastUpdatedMs >= updatedSinceMs)
    .map(({ t, lastUpdatedMs }) => ({
      point_time: formatTime(t),
      value: Math.round((signalValueAt(scope.region, scope.signalType, t) + historicalRevision) * 10) / 10,
      last_updated: formatTime(lastUpdatedMs),
      ...(imputedMarker ? { imputed_data_used: historicalImputed } : {}),
    }));
  return jsonReply(200, { data, meta: meta(scope) });
};

const forecastHistorical: EndpointHandler = (call) => {
  const scope = scopeOf(call, 'v3/forecast/historical');
  const { startMs, endMs } = rangeOf(call, MAX_FORECAST_HISTORICAL_RANGE_MS, '24 hours');
  const horizonHours = horizonHoursParam(call.query);
  const lastMs = Math.min(endMs, periodStart(call.nowMs, scope.spec.periodSeconds));
  const data = periodsBetween(startMs, lastMs, scope.spec.periodSeconds).map((generatedAt) => ({
    generated_at: formatTime(generatedAt),
    forecast: forecastPoints(scope, generatedAt, horizonHours),
  }));
  return jsonReply(200, { data, meta: { ...meta(scope), generated_at_period_seconds: scope.spec.periodSeconds } });
};

const myAccessEndpoint: EndpointHandler = (call) => {
  const region = optionalParam(call.query, 'region');
  const signalType = optionalParam(call.query, 'signal_type');
  return jsonReply(
    200,
    myAccess(call.account, {
      region: region === undefined ? undefined : checkRegion(region),
      signalType: signalType === undefined ? undefined : checkSignalType(signalType),
    }),
  );
};

const regionFromLoc: EndpointHandler = (call) => {
  const latitude = coordinateParam(call.query, 'latitude', -90, 90);
  const longitude = coordinateParam(call.query, 'longitude', -180, 180);
  const signalType = checkSignalType(requiredParam(call.query, 'signal_type'));
  const info = regionAt(latitude, longitude);
  if (info === undefined) {
    return errorReply(404, 'no_coverage', 'No coverage available for the given location');
  }
  return jsonReply(200, { region: info.region, region_full_name: info.fullName, signal_type: signalType });
};

/** Route table: path → handler. Every route answers GET only. */
export const V3_ENDPOINTS: ReadonlyMap<string, EndpointHandler> = new Map([
  ['/v3/signal-index', signalIndex],
  ['/v3/forecast', forecast],
  ['/v3/historical', historical],
  ['/v3/forecast/historical', forecastHistorical],
  ['/v3/my-access', myAccessEndpoint],
  ['/v3/region-from-loc', regionFromLoc],
]);
