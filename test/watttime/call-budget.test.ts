/**
 * The account's call budget as a setting: the worker's wiring (`WATTTIME_CALLS_PER_5_MINUTES`) and
 * the emulator (`dataCallsPer5Minutes`) raised or lowered together, as the scale benchmark does.
 * The worker holds its requests back at the budget instead of earning a 429.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { wireActivities } from '../../activities/wiring';
import { DEFAULT_ACCOUNT } from '../../emulator/server';
import { startTestEmulator } from '../emulator/support';

const CAISO = { region: 'CAISO_NORTH', signalType: 'co2_moer' };
const WINDOW_MS = 5 * 60_000;

it('with a budget of N on the worker and the emulator, N requests go at once and the next waits for the window, never earning a 429', async () => {
  const budget = 5;
  const { emulator, clock, url } = await startTestEmulator({ dataCallsPer5Minutes: budget });
  const wired = wireActivities({
    account: DEFAULT_ACCOUNT,
    wattTimeBaseUrl: url,
    // Never written to: only the WattTime session is used here.
    influx: { url: 'http://127.0.0.1:9', token: 'unused', org: 'unused', bucket: 'unused' },
    now: clock.now,
    wattTimeCallsPer5Minutes: budget,
  });
  try {
    // The login counts against the worker's budget too (whether WattTime counts it is unknown).
    await wired.session.ensureToken();
    for (let call = 1; call < budget; call++) await wired.session.signalIndex(CAISO);
    expect(emulator.control.counters().answersByStatus).toEqual({ '200': budget });

    // 300 ms before the first request leaves the window, the next one waits in the worker.
    clock.advance(WINDOW_MS - 300);
    let answered = false;
    const next = wired.session.signalIndex(CAISO).then((answer) => {
      answered = true;
      return answer;
    });
    await delay(150);
    expect(answered).toBe(false);
    expect(emulator.control.counters().answersByStatus).toEqual({ '200': budget });

    clock.advance(300);
    expect((await next).data[0]?.value).toBeGreaterThanOrEqual(0);
    expect(emulator.control.counters().answersByStatus).toEqual({ '200': budget + 1 });
  } finally {
    await wired.close();
  }
});
