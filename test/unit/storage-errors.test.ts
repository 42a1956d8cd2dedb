import { HttpError } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { StorageRejectedError, StorageUnavailableError, storageError } from '../../activities/storage-errors';

const TOKEN = 'operator-token-Zx81';
const write = { target: 'InfluxDB http://influx:8086 bucket "carbon"', measurement: 'carbon_intensity', secrets: [TOKEN], nowMs: Date.parse('2026-11-01T12:00:00Z') };

/** An answer as the InfluxDB client reports it: status, body, headers. */
function answered(status: number, body: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, 'status text', body, headers['retry-after'], 'application/json', undefined, headers);
}

describe('storageError: how an InfluxDB answer is classified', () => {
  it.each([
    [500, '{"code":"internal error","message":"unexpected error writing points to database: timeout"}'],
    [502, '<html>Bad Gateway</html>'],
    [503, '{"code":"unavailable","message":"service unavailable"}'],
    [408, ''],
  ])('treats %s as transient InfluxDBUnavailable', (status, body) => {
    const error = storageError(answered(status, body), write);

    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error.message).toMatch(new RegExp(`^InfluxDB http://influx:8086 bucket "carbon": write of carbon_intensity failed: answered ${status}`));
  });

  it('honours Retry-After on 429 and 503, in seconds or as an HTTP date', () => {
    const limited = storageError(answered(429, '{"code":"too many requests","message":"org exceeded write limits"}', { 'retry-after': '30' }), write);
    expect(limited).toBeInstanceOf(StorageUnavailableError);
    expect(limited).toMatchObject({ retryAfterMs: 30_000 });
    expect(limited.message).toBe(
      'InfluxDB http://influx:8086 bucket "carbon": write of carbon_intensity failed: answered 429: org exceeded write limits (retry after 30 s)',
    );
    const busy = storageError(answered(503, '', { 'retry-after': 'Sun, 01 Nov 2026 12:01:00 GMT' }), write);
    expect(busy).toMatchObject({ retryAfterMs: 60_000 });
  });

  it.each([
    [401, '{"code":"unauthorized","message":"unauthorized access"}', 'auth refused: check INFLUXDB_TOKEN and its permission to write to the bucket'],
    [403, '{"code":"forbidden","message":"insufficient permissions for write"}', 'auth refused: check INFLUXDB_TOKEN and its permission to write to the bucket'],
    [404, '{"code":"not found","message":"bucket \\"carbon\\" not found"}', 'bucket missing: create it, or fix INFLUXDB_BUCKET (for InfluxDB 1.x, the database)'],
    [413, '{"code":"request too large","message":"unable to read data: points batch is too large"}', 'request too large for the server'],
    [
      400,
      '{"code":"invalid","message":"failure writing points to database: partial write: field type conflict: input field \\"moer_lbs_mwh\\" on measurement \\"carbon_intensity\\" is type float, already exists as type integer dropped=1"}',
      'field type conflict: the measurement already holds a field of this name with another type (e.g. integers an older service wrote); drop the measurement or use another bucket',
    ],
    [400, '{"code":"invalid","message":"unable to parse points"}', 'points refused'],
  ])('treats %s as InfluxDBRejected, naming the cause', (status, body, cause) => {
    const error = storageError(answered(status, body), write);

    expect(error).toBeInstanceOf(StorageRejectedError);
    expect(error.message.startsWith(`InfluxDB http://influx:8086 bucket "carbon" rejected the write of carbon_intensity: ${cause} (answered ${status}: `)).toBe(true);
  });

  it('never repeats the token, even when the server echoes it', () => {
    const error = storageError(answered(401, `{"message":"token ${TOKEN} is not valid"}`), write);

    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toContain('token [redacted] is not valid');
  });

  it('reports anything but an answer as unreachable (transient)', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:8086'), { code: 'ECONNREFUSED' });
    const error = storageError(refused, write);

    expect(error).toBeInstanceOf(StorageUnavailableError);
    expect(error.message).toBe('InfluxDB http://influx:8086 bucket "carbon": write of carbon_intensity failed: unreachable: connect ECONNREFUSED 10.0.0.5:8086');
  });
});
