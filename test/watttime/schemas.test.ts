import { describe, expect, it } from 'vitest';
import {
  forecastResponseSchema,
  historicalResponseSchema,
  loginResponseSchema,
  myAccessResponseSchema,
  signalIndexResponseSchema,
} from '../../watttime/schemas';

const meta = {
  data_point_period_seconds: 300,
  region: 'CAISO_NORTH',
  signal_type: 'co2_moer',
  units: 'lbs_co2_per_mwh',
  warnings: [{ type: 'EXAMPLE', message: 'values may be revised' }],
  model: { date: '2023-03-01', type: 'binned_regression' },
  something_new: true,
};

describe('WattTime response schemas', () => {
  it('reads a login answer and refuses one without a token', () => {
    expect(loginResponseSchema.parse({ token: 'abc', extra: 1 })).toEqual({ token: 'abc' });
    expect(loginResponseSchema.safeParse({}).success).toBe(false);
    expect(loginResponseSchema.safeParse({ token: '' }).success).toBe(false);
  });

  it('reads a forecast: typed points, units, model, generated_at and warnings kept', () => {
    const parsed = forecastResponseSchema.parse({
      data: [
        { point_time: '2024-06-18T18:40:00+00:00', value: 870.0 },
        { point_time: '2024-06-18T18:45:00+00:00', value: 865.5, extra: 'ignored' },
      ],
      meta: { ...meta, generated_at: '2024-06-18T18:40:00+00:00', generated_at_period_seconds: 300 },
    });
    expect(parsed).toEqual({
      data: [
        { pointTime: new Date('2024-06-18T18:40:00Z'), value: 870 },
        { pointTime: new Date('2024-06-18T18:45:00Z'), value: 865.5 },
      ],
      meta: {
        region: 'CAISO_NORTH',
        signalType: 'co2_moer',
        units: 'lbs_co2_per_mwh',
        dataPointPeriodSeconds: 300,
        model: { date: '2023-03-01', type: 'binned_regression' },
        warnings: [{ type: 'EXAMPLE', message: 'values may be revised' }],
        generatedAt: new Date('2024-06-18T18:40:00Z'),
        generatedAtPeriodSeconds: 300,
      },
    });
  });

  it('requires the first forecast point and generated_at', () => {
    const generated = { ...meta, generated_at: '2024-06-18T18:40:00+00:00' };
    expect(forecastResponseSchema.safeParse({ data: [], meta: generated }).success).toBe(false);
    const point = { point_time: '2024-06-18T18:40:00+00:00', value: 1 };
    expect(forecastResponseSchema.safeParse({ data: [point], meta }).success).toBe(false);
  });

  it('accepts missing or null warnings and model as "none"', () => {
    const { warnings: _w, model: _m, ...bare } = meta;
    const parsed = signalIndexResponseSchema.parse({
      data: [{ point_time: '2024-06-18T18:40:00Z', value: 42 }],
      meta: { ...bare, units: 'percentile', model: null },
    });
    expect(parsed.meta.warnings).toEqual([]);
    expect(parsed.meta).not.toHaveProperty('model');
    expect(parsed.data[0]?.value).toBe(42);
  });

  it('refuses documented fields of the wrong type, naming the field', () => {
    const result = historicalResponseSchema.safeParse({
      data: [{ point_time: 'yesterday', value: 1 }],
      meta,
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['data', 0, 'point_time']);
    expect(signalIndexResponseSchema.safeParse({ data: [{ point_time: '2024-06-18T18:40:00Z', value: '1' }], meta }).success).toBe(
      false,
    );
    expect(historicalResponseSchema.safeParse({ data: [], meta: { ...meta, units: undefined } }).success).toBe(false);
  });

  it('reads historical points with last_updated and the imputed marker, and an empty range', () => {
    const parsed = historicalResponseSchema.parse({
      data: [
        {
          point_time: '2024-06-18T18:40:00+00:00',
          value: 800,
          last_updated: '2024-06-18T18:46:12.123456+00:00',
          imputed_data_used: false,
        },
        { point_time: '2024-06-18T18:45:00+00:00', value: 801 },
      ],
      meta,
    });
    expect(parsed.data).toEqual([
      {
        pointTime: new Date('2024-06-18T18:40:00Z'),
        value: 800,
        lastUpdated: new Date('2024-06-18T18:46:12.123Z'),
        imputedDataUsed: false,
      },
      { pointTime: new Date('2024-06-18T18:45:00Z'), value: 801 },
    ]);
    expect(historicalResponseSchema.parse({ data: [], meta }).data).toEqual([]);
  });

  it('reads the nested my-access shape', () => {
    const parsed = myAccessResponseSchema.parse({
      signal_types: [
        {
          signal_type: 'co2_moer',
          regions: [
            {
              region: 'CAISO_NORTH',
              region_full_name: 'California ISO Northern',
              parent: 'CAISO',
              data_point_period_seconds: 300,
              endpoints: [
                {
                  endpoint: 'v3/forecast',
                  models: [{ model: '2023-03-01', data_start: '2018-01-01', train_start: null, train_end: '2023-03-01' }],
                },
                { endpoint: 'v3/signal-index' },
              ],
            },
          ],
        },
      ],
    });
    expect(parsed).toEqual({
      signalTypes: [
        {
          signalType: 'co2_moer',
          regions: [
            {
              region: 'CAISO_NORTH',
              regionFullName: 'California ISO Northern',
              parent: 'CAISO',
              dataPointPeriodSeconds: 300,
              endpoints: [
                { endpoint: 'v3/forecast', models: [{ model: '2023-03-01', dataStart: '2018-01-01', trainEnd: '2023-03-01' }] },
                { endpoint: 'v3/signal-index', models: [] },
              ],
            },
          ],
        },
      ],
    });
    expect(myAccessResponseSchema.safeParse({ signal_types: [{ signal_type: 'co2_moer' }] }).success).toBe(false);
  });
});
