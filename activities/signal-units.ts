import { MalformedResponseError } from '../watttime/errors';
import type { PlanScope } from '../watttime/plan-access';
import { LBS_CO2_PER_MWH, PERCENTILE } from '../common/units';

/**
 * The units WATTTIME.md documents per signal type. Any other unit for these is unknown. Signal
 * types not listed (`health_damage`, in dollars per MWh, whose `meta.units` spelling WattTime does
 * not publish) are stored in whatever unit they come, named in a `units` tag.
 */
const DOCUMENTED_UNITS: Readonly<Record<string, string>> = {
  co2_moer: LBS_CO2_PER_MWH,
  co2_aoer: LBS_CO2_PER_MWH,
};

/** How WattTime spells a unit (`lbs_co2_per_mwh`, `percentile`); anything else is no unit name. */
const UNIT_NAME = /^[a-z][a-z0-9_]*$/i;

/**
 * The InfluxDB field that holds a signal's own value, named for what it holds: `moer_lbs_mwh`
 * (co2_moer), `aoer_lbs_mwh` (co2_aoer); a value in another unit is stored unconverted in a field
 * named after its signal type (`health_damage`), with a `units` tag.
 */
export function valueField(signalType: string, units: string): string {
  return isLbsPerMwh(units) ? `${signalType.replace(/^co2_/, '')}_lbs_mwh` : signalType;
}

/** Only lbs CO2/MWh is converted (to g/kWh); every other unit is stored as it comes. */
export function isLbsPerMwh(units: string): boolean {
  return units === LBS_CO2_PER_MWH;
}

/**
 * The `meta.units` each region's signal has answered with, per worker process. Every answer is
 * checked: a unit WATTTIME.md does not document for its signal type, a malformed unit name, or a
 * unit other than the one the same region and signal type answered with before fails as
 * `MalformedResponseError` naming it — storing it would mix units in one series.
 */
export class SignalUnits {
  private readonly seen = new Map<string, string>();

  /**
   * Checks the units of a signal's values (`/v3/forecast`, `/v3/historical`).
   *
   * @throws MalformedResponseError naming the unit, the expected one and the endpoint.
   */
  check(scope: PlanScope, units: string, endpoint: string): void {
    const { region, signalType } = scope;
    const documented = DOCUMENTED_UNITS[signalType];
    if (documented !== undefined && units !== documented) {
      throw malformed(endpoint, `unknown unit "${units}" for ${signalType} (WattTime documents ${documented})`);
    }
    if (!UNIT_NAME.test(units)) throw malformed(endpoint, `unknown unit "${units}" for ${signalType}`);
    const key = `${region}/${signalType}`;
    const before = this.seen.get(key);
    if (before !== undefined && before !== units) {
      throw malformed(endpoint, `units of ${signalType} in ${region} changed from "${before}" to "${units}"`);
    }
    this.seen.set(key, units);
  }

  /**
   * `/v3/signal-index` is a percentile whatever the signal type.
   *
   * @throws MalformedResponseError naming the unit.
   */
  checkIndex(units: string): void {
    if (units !== PERCENTILE) throw malformed('/v3/signal-index', `unknown unit "${units}" for the index (expected ${PERCENTILE})`);
  }
}

function malformed(endpoint: string, detail: string): MalformedResponseError {
  return new MalformedResponseError({ endpoint, detail: `malformed response: ${detail}` });
}
