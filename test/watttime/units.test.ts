import { describe, expect, it } from 'vitest';
import { lbsPerMwhToGramsPerKwh } from '../../common/units';

describe('lbsPerMwhToGramsPerKwh', () => {
  it('multiplies by 0.45359237 (453.59237 g per lb, per MWh → per kWh)', () => {
    expect(lbsPerMwhToGramsPerKwh(1000)).toBeCloseTo(453.59237, 9);
    expect(lbsPerMwhToGramsPerKwh(870)).toBeCloseTo(394.6253619, 9);
    expect(lbsPerMwhToGramsPerKwh(0)).toBe(0);
  });
});
