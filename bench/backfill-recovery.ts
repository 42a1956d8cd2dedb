/**
 * How fast a region recovers what it missed: one region is paused for 1, 10 and 25 simulated
 * days, then resumed; the report gives, per gap, the periods backfilled, the `/v3/historical`
 * requests, the real seconds from resume until nothing was pending, and periods stored per real
 * second. Quote ratios between rows; absolute numbers depend on the machine.
 */
import { healthQuery, pauseUpdate, resumeUpdate, stopSignal } from '../workflows/definitions';
import type { RegionHealth } from '../workflows/health';
import { regionWorkflowId } from '../workflows/ids';
import { DAY_MS, PERIOD_MS, startRegionHarness, type HarnessServers } from '../testing/region-harness';

const REGION = 'CAISO_NORTH';
const GAP_DAYS = [1, 10, 25] as const;

interface Row {
  days: number;
  backfilled: number;
  requests: number;
  realSeconds: number;
}

export async function backfillRecoveryReport(servers: HarnessServers): Promise<string> {
  const harness = await startRegionHarness({ region: REGION, taskQueue: 'bench-backfill', servers });
  const rows: Row[] = [];
  try {
    const handle = await harness.env.client.workflow.start('regionWorkflow', {
      workflowId: regionWorkflowId(REGION),
      taskQueue: harness.taskQueue,
      args: [{ region: REGION }],
    });
    const health = (): Promise<RegionHealth> => handle.query(healthQuery);
    const historicalCalls = (): number => harness.emulator.control.counters().callsByEndpoint['/v3/historical'] ?? 0;
    await harness.env.sleep(PERIOD_MS);
    for (const days of GAP_DAYS) {
      await handle.executeUpdate(pauseUpdate);
      await harness.env.sleep(days * DAY_MS);
      const before = await health();
      const requestsBefore = historicalCalls();
      const resumedPeriodMs = Math.floor((await harness.env.currentTimeMs()) / PERIOD_MS) * PERIOD_MS;
      const started = Date.now();
      await handle.executeUpdate(resumeUpdate);
      // Done once the period of the resume is stored and no gap is pending; one ≤ 10-day chunk
      // is backfilled per period, so simulated time runs on meanwhile.
      const recovered = (h: RegionHealth): boolean =>
        h.backfillPendingPeriods === 0 && Date.parse(h.lastReading?.pointTime ?? '') >= resumedPeriodMs;
      let after = await health();
      while (!recovered(after)) {
        await harness.env.sleep(PERIOD_MS);
        after = await health();
      }
      const realSeconds = (Date.now() - started) / 1000;
      if (after.missedPeriods > 0) throw new Error(`${after.missedPeriods} periods missed in the benchmark`);
      rows.push({ days, backfilled: after.backfilledPeriods - before.backfilledPeriods, requests: historicalCalls() - requestsBefore, realSeconds });
    }
    await handle.signal(stopSignal);
    await handle.result();
  } finally {
    await harness.close();
  }
  const lines = [
    `Backfill after a pause, one region (${REGION}); real seconds from resume until nothing is pending, live fetches included`,
    'gap days  periods backfilled  /v3/historical requests  real s  periods/real s',
  ];
  for (const row of rows) {
    lines.push(
      `${String(row.days).padStart(8)}  ${String(row.backfilled).padStart(18)}  ${String(row.requests).padStart(23)}  ` +
        `${row.realSeconds.toFixed(1).padStart(6)}  ${(row.backfilled / row.realSeconds).toFixed(0).padStart(14)}`,
    );
  }
  const first = rows[0];
  const last = rows.at(-1);
  if (first !== undefined && last !== undefined) {
    lines.push(
      `${last.days} vs ${first.days} day(s): ${(last.backfilled / first.backfilled).toFixed(1)}x the periods in ` +
        `${(last.realSeconds / first.realSeconds).toFixed(1)}x the real time`,
    );
  }
  return lines.join('\n');
}
