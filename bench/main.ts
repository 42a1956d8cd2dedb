/**
 * `npm run bench`: scale and recovery figures measured on the real time-skipping server with the
 * real activities, the WattTime emulator and a real InfluxDB of its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInfluxDb } from '../servers/influxdb-server';
import { obtainServerBinaries } from '../servers/obtain-binaries';
import { backfillRecoveryReport } from './backfill-recovery';
import { regionScaleReport } from './region-scale';

async function main(): Promise<void> {
  const binaries = await obtainServerBinaries();
  const workDir = mkdtempSync(join(tmpdir(), 'bench-influxdb-'));
  const influx = await startInfluxDb({ executable: binaries.influxd, workDir, database: 'bench' });
  try {
    const servers = { influxUrl: influx.url, influxDatabase: influx.database, temporalTestServerPath: binaries.temporalTestServer };
    process.stdout.write(`${await regionScaleReport(servers)}\n\n`);
    process.stdout.write(`${await backfillRecoveryReport(servers)}\n`);
  } finally {
    await influx.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
