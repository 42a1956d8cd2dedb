import { z } from 'zod';

/*
 * Shapes of WattTime's answers (WATTTIME.md). Unknown extra fields are accepted and dropped, the
 * documented fields we rely on are checked, and values come out typed: timestamps as `Date`,
 * snake_case as camelCase.
 */

/** An ISO-8601 instant with an offset (`+00:00` or `Z`), as WattTime writes `point_time`. */
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

export interface LoginResponse {
  token: string;
}

/** `GET /login` answers `{"token": "…"}` and nothing else: no expiry. */
export const loginResponseSchema: z.ZodType<LoginResponse, unknown> = z.object({ token: z.string().min(1) });

export interface Warning {
  type: string;
  message: string;
}

export interface ModelInfo {
  date: string;
  type?: string;
}

export interface DataMeta {
  region: string;
  signalType: string;
  /** `lbs_co2_per_mwh` for MOER/AOER, `percentile` for the index; convert with units.ts. */
  units: string;
  dataPointPeriodSeconds?: number;
  model?: ModelInfo;
  /** Always surfaced (logged and counted); empty when WattTime sent none. */
  warnings: Warning[];
}

export interface ForecastMeta extends DataMeta {
  /** Which forecast run this is; the first point is the current period. */
  generatedAt: Date;
  generatedAtPeriodSeconds?: number;
}

export interface DataPoint {
  pointTime: Date;
  value: number;
}

export interface HistoricalPoint extends DataPoint {
  lastUpdated?: Date;
  imputedDataUsed?: boolean;
}

export interface SignalIndexResponse {
  data: DataPoint[];
  meta: DataMeta;
}

export interface ForecastResponse {
  data: DataPoint[];
  meta: ForecastMeta;
}

export interface HistoricalResponse {
  data: HistoricalPoint[];
  meta: DataMeta;
}

const warningSchema = z.object({ type: z.string(), message: z.string() });

const modelSchema = z
  .object({ date: z.string(), type: z.string().nullish() })
  .transform((m): ModelInfo => (m.type == null ? { date: m.date } : { date: m.date, type: m.type }));

const metaFields = {
  region: z.string().min(1),
  signal_type: z.string().min(1),
  units: z.string().min(1),
  data_point_period_seconds: z.number().positive().nullish(),
  model: modelSchema.nullish(),
  warnings: z.array(warningSchema).nullish(),
};

type RawMeta = z.output<z.ZodObject<typeof metaFields>>;

function toMeta(raw: RawMeta): DataMeta {
  return {
    region: raw.region,
    signalType: raw.signal_type,
    units: raw.units,
    ...(raw.data_point_period_seconds == null ? {} : { dataPointPeriodSeconds: raw.data_point_period_seconds }),
    ...(raw.model == null ? {} : { model: raw.model }),
    warnings: raw.warnings ?? [],
  };
}

const dataMetaSchema = z.object(metaFields).transform(toMeta);

const forecastMetaSchema = z
  .object({ ...metaFields, generated_at: instant, generated_at_period_seconds: z.number().positive().nullish() })
  .transform(
    (raw): ForecastMeta => ({
      ...toMeta(raw),
      generatedAt: raw.generated_at,
      ...(raw.generated_at_period_seconds == null ? {} : { generatedAtPeriodSeconds: raw.generated_at_period_seconds }),
    }),
  );

const pointSchema = z
  .object({ point_time: instant, value: z.number() })
  .transform((p): DataPoint => ({ pointTime: p.point_time, value: p.value }));

const historicalPointSchema = z
  .object({
    point_time: instant,
    value: z.number(),
    last_updated: instant.nullish(),
    imputed_data_used: z.boolean().nullish(),
  })
  .transform(
    (p): HistoricalPoint => ({
      pointTime: p.point_time,
      value: p.value,
      ...(p.last_updated == null ? {} : { lastUpdated: p.last_updated }),
      ...(p.imputed_data_used == null ? {} : { imputedDataUsed: p.imputed_data_used }),
    }),
  );

/** `/v3/signal-index`: one point, value 0–100, units `percentile`. */
export const signalIndexResponseSchema: z.ZodType<SignalIndexResponse, unknown> = z.object({
  data: z.array(pointSchema).min(1),
  meta: dataMetaSchema,
});

/** `/v3/forecast`: the first point (the current period) is always present. */
export const forecastResponseSchema: z.ZodType<ForecastResponse, unknown> = z.object({
  data: z.array(pointSchema).min(1),
  meta: forecastMetaSchema,
});

/** `/v3/historical`: an empty range is a valid `data: []`. */
export const historicalResponseSchema: z.ZodType<HistoricalResponse, unknown> = z.object({
  data: z.array(historicalPointSchema),
  meta: dataMetaSchema,
});

export interface AccessModel {
  model: string;
  dataStart?: string;
  trainStart?: string;
  trainEnd?: string;
}

export interface AccessEndpoint {
  /** As WattTime writes it, without a leading slash: `v3/forecast`. */
  endpoint: string;
  models: AccessModel[];
}

export interface AccessRegion {
  region: string;
  regionFullName?: string;
  parent?: string;
  dataPointPeriodSeconds?: number;
  endpoints: AccessEndpoint[];
}

export interface AccessSignalType {
  signalType: string;
  regions: AccessRegion[];
}

export interface MyAccessResponse {
  signalTypes: AccessSignalType[];
}

/** Optional descriptive strings: absent or null both become `undefined`. */
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

const accessModelSchema = z
  .object({ model: z.string(), data_start: optionalText, train_start: optionalText, train_end: optionalText })
  .transform(
    (m): AccessModel => ({
      model: m.model,
      ...(m.data_start === undefined ? {} : { dataStart: m.data_start }),
      ...(m.train_start === undefined ? {} : { trainStart: m.train_start }),
      ...(m.train_end === undefined ? {} : { trainEnd: m.train_end }),
    }),
  );

const accessRegionSchema = z
  .object({
    region: z.string().min(1),
    region_full_name: optionalText,
    parent: optionalText,
    data_point_period_seconds: z.number().positive().nullish(),
    endpoints: z.array(
      z
        .object({ endpoint: z.string().min(1), models: z.array(accessModelSchema).nullish() })
        .transform((e): AccessEndpoint => ({ endpoint: e.endpoint, models: e.models ?? [] })),
    ),
  })
  .transform(
    (r): AccessRegion => ({
      region: r.region,
      ...(r.region_full_name === undefined ? {} : { regionFullName: r.region_full_name }),
      ...(r.parent === undefined ? {} : { parent: r.parent }),
      ...(r.data_point_period_seconds == null ? {} : { dataPointPeriodSeconds: r.data_point_period_seconds }),
      endpoints: r.endpoints,
    }),
  );

/** `/v3/my-access`: which signal types, regions, endpoints and models this account may use. */
export const myAccessResponseSchema: z.ZodType<MyAccessResponse, unknown> = z
  .object({
    signal_types: z.array(
      z
        .object({ signal_type: z.string().min(1), regions: z.array(accessRegionSchema) })
        .transform((s): AccessSignalType => ({ signalType: s.signal_type, regions: s.regions })),
    ),
  })
  .transform((a): MyAccessResponse => ({ signalTypes: a.signal_types }));
