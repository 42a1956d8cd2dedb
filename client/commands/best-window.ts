import { findGreenestWindow, type GreenestWindow } from '../../common/greenest-window';
import { MOER_PERIOD_MS, periodsFor } from '../../common/moer-period';
import { isoSeconds } from '../../workflows/greenest-window-text';
import { DEFAULT_SIGNAL_TYPE } from '../../common/names';
import type { ExitCode, ReadingContext } from './context';

export interface BestWindowOptions {
  /** The job's length, ms; rounded up to whole 5-minute periods. */
  readonly durationMs: number;
  /** The job must finish within this long from now, ms; default: as far as the forecast reaches. */
  readonly withinMs?: number;
  readonly json: boolean;
}

/**
 * Prints the greenest window of the newest stored forecast for a job of the given length: its
 * start and end, its average MOER (lbs/MWh and g/kWh), the average when starting now and the
 * difference, and which forecast it used and how old that is (flagged past 30 minutes).
 * Exit 2 when no usable forecast is stored, 1 when the job cannot fit.
 */
export async function showBestWindow(context: ReadingContext, region: string, options: BestWindowOptions): Promise<ExitCode> {
  const { reader, bucket, out } = context;
  const nowMs = Date.now();
  const durationMs = periodsFor(options.durationMs) * MOER_PERIOD_MS;
  if (options.withinMs !== undefined && options.withinMs < durationMs) {
    out(`--within must be at least the duration (${durationMs / 60_000} minutes in whole 5-minute periods).`);
    return 1;
  }
  const curve = await reader.newestForecast(region, DEFAULT_SIGNAL_TYPE, nowMs);
  if (curve === null) {
    out(
      `No forecast stored for ${region} (${DEFAULT_SIGNAL_TYPE}) in bucket "${bucket}": ` +
        `start its region workflow (client start ${region}), or its WattTime plan gives no forecast.`,
    );
    return 2;
  }
  const latestStartMs = options.withinMs === undefined ? undefined : nowMs + options.withinMs - durationMs;
  const answer = findGreenestWindow(curve, { durationMs, nowMs, latestStartMs });
  if (!answer.found) {
    if (answer.problem === 'longer-than-forecast') {
      out(`--duration is too long: ${answer.message}.`);
      return 1;
    }
    out(`No usable forecast for ${region}: ${answer.message}.`);
    return 2;
  }
  if (options.json) out(JSON.stringify(answer.window, null, 2));
  else for (const line of describeWindow(answer.window)) out(line);
  return 0;
}

const at = (iso: string): string => isoSeconds(Date.parse(iso));
const amount = (lbsMwh: number, gKwh: number): string => `${lbsMwh.toFixed(1)} lbs/MWh (${gKwh.toFixed(1)} g/kWh)`;

function describeWindow(window: GreenestWindow): string[] {
  const { best, startingNow, forecast } = window;
  const age = `${forecast.ageMinutes} minute${forecast.ageMinutes === 1 ? '' : 's'} old`;
  return [
    `${window.region}: greenest ${window.durationMinutes}-minute window ${at(best.start)} to ${at(best.end)}${window.startsNow ? ' (now)' : ''}`,
    `  average       ${amount(best.averageMoerLbsMwh, best.averageGco2Kwh)}`,
    `  starting now  ${amount(startingNow.averageMoerLbsMwh, startingNow.averageGco2Kwh)}, ${at(startingNow.start)} to ${at(startingNow.end)}`,
    `  difference    ${amount(window.savingLbsMwh, window.savingGco2Kwh)} less, ${window.savingPercent.toFixed(1)}%`,
    `  forecast      generated ${at(forecast.generatedAt)}, ${age}, reaches ${at(forecast.endsAt)}` +
      (forecast.stale ? "; STALE: older than 30 minutes, is the region's workflow fetching?" : ''),
  ];
}
