import { jobEmissions, type JobEmissions, type JobLoad } from '../../common/job-emissions';
import { MOER_PERIOD_MS } from '../../common/moer-period';
import { isoSeconds } from '../../workflows/greenest-window-text';
import { DEFAULT_SIGNAL_TYPE } from '../../common/names';
import type { ExitCode, ReadingContext } from './context';

/** Longest run one command reads (about 105,000 periods). */
const MAX_SPAN_MS = 366 * 24 * 3_600_000;

export interface EmissionsOptions {
  /** The job's run, ms since epoch. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly load: JobLoad;
  readonly json: boolean;
}

/**
 * Prints a job's emissions from the stored MOER: kg and lbs CO2, the periods the run covers and
 * how many of them have no stored MOER (listed, and left out rather than filled in). Exit 2 when
 * none of them has one, 1 for a run that is empty, reversed or longer than a year.
 */
export async function showEmissions(context: ReadingContext, region: string, options: EmissionsOptions): Promise<ExitCode> {
  const { reader, bucket, out } = context;
  const { fromMs, toMs } = options;
  if (toMs <= fromMs || toMs - fromMs > MAX_SPAN_MS) {
    out('--to must be after --from, and at most 366 days after it.');
    return 1;
  }
  const stored = await reader.storedMoer(region, DEFAULT_SIGNAL_TYPE, fromMs, toMs);
  const result = jobEmissions(stored, { fromMs, toMs, load: options.load });
  if (result.storedPeriods === 0) {
    out(
      `No MOER stored for ${region} (${DEFAULT_SIGNAL_TYPE}) in bucket "${bucket}" from ${isoSeconds(fromMs)} to ${isoSeconds(toMs)} ` +
        `(${result.periods} period(s)): was its region workflow running then?`,
    );
    return 2;
  }
  if (options.json) out(JSON.stringify(result, null, 2));
  else for (const line of describeEmissions(region, result)) out(line);
  return 0;
}

const at = (iso: string): string => isoSeconds(Date.parse(iso));
const round = (value: number, digits: number): string => Number(value.toFixed(digits)).toString();

function describeEmissions(region: string, result: JobEmissions): string[] {
  const periods = `${result.periods} covered: ${result.storedPeriods} stored, ${result.missingPeriods} missing`;
  const missing =
    result.missingPeriods === 0
      ? ''
      : ` (not counted: ${round(result.energyKwh - result.coveredEnergyKwh, 3)} kWh of the run has no stored MOER): ${missingRanges(result.missingPointTimes)}`;
  return [
    `${region} job from ${at(result.from)} to ${at(result.to)}: ${round(result.powerKw, 3)} kW, ${round(result.energyKwh, 3)} kWh`,
    `  emissions  ${result.emissionsKg.toFixed(3)} kg CO2 (${result.emissionsLbs.toFixed(3)} lbs)`,
    `  periods    ${periods}${missing}`,
  ];
}

/** Consecutive missing periods as ranges of `point_time`s, e.g. `19:00:00Z to 19:05:00Z (2)`. */
function missingRanges(pointTimes: readonly string[]): string {
  const ranges: { first: number; last: number; count: number }[] = [];
  for (const time of pointTimes.map((t) => Date.parse(t))) {
    const open = ranges.at(-1);
    if (open !== undefined && time - open.last === MOER_PERIOD_MS) Object.assign(open, { last: time, count: open.count + 1 });
    else ranges.push({ first: time, last: time, count: 1 });
  }
  const shown = ranges.slice(0, 10).map((r) => (r.count === 1 ? isoSeconds(r.first) : `${isoSeconds(r.first)} to ${isoSeconds(r.last)} (${r.count})`));
  return ranges.length > 10 ? `${shown.join(', ')} and ${ranges.length - 10} more range(s)` : shown.join(', ');
}
