/**
 * The real stack the fault run drives: the Temporal dev server on a SQLite file, InfluxDB on its
 * own folder (both restartable on the same port and data), the WattTime emulator with short JWT
 * tokens, and worker processes started and killed by name.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import { freePort } from '../servers/free-port';
import { startInfluxDb, type InfluxDbServer } from '../servers/influxdb-server';
import type { ManagedProcess } from '../servers/managed-process';
import { obtainServerBinaries, type ServerBinaries } from '../servers/obtain-binaries';
import { startTemporalDevServer, type TemporalDevServer } from '../servers/temporal-dev-server';
import { startWorkerProcess } from '../servers/worker-process';

export interface ChaosWorker {
  readonly name: string;
  readonly logFile: string;
  readonly healthPort: number;
  readonly process: ManagedProcess;
}

export class ChaosStack {
  temporal!: TemporalDevServer;
  influx!: InfluxDbServer;
  emulator!: RunningEmulator;
  readonly workers = new Map<string, ChaosWorker>();
  readonly workerLogs: string[] = [];
  private binaries!: ServerBinaries;
  private temporalPort = 0;
  private influxPort = 0;

  constructor(
    readonly workDir: string,
    readonly regions: readonly string[],
    readonly password: string,
    readonly tokenTtlSeconds: number,
  ) {}

  /**
   * Obtains the binaries, then starts the servers and the emulator together. Each settles before
   * a failure is thrown, so `stop` finds every one that did start.
   */
  async start(): Promise<void> {
    this.binaries = await obtainServerBinaries();
    mkdirSync(join(this.workDir, 'influxdb'), { recursive: true });
    this.temporalPort = await freePort();
    this.influxPort = await freePort();
    const started = await Promise.allSettled([
      this.startTemporal(),
      this.startInflux(),
      startEmulator({
        accounts: [{ username: 'chaos', password: this.password, regions: [...this.regions] }],
        tokenTtlSeconds: this.tokenTtlSeconds,
        tokenFormat: 'jwt',
      }).then((emulator) => {
        this.emulator = emulator;
      }),
    ]);
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async startTemporal(): Promise<void> {
    this.temporal = await startTemporalDevServer({
      executable: this.binaries.temporalCli,
      workDir: this.workDir,
      dbFile: join(this.workDir, 'temporal.sqlite'),
      port: this.temporalPort,
    });
  }

  async startInflux(): Promise<void> {
    this.influx = await startInfluxDb({
      executable: this.binaries.influxd,
      workDir: join(this.workDir, 'influxdb'),
      database: 'chaos',
      port: this.influxPort,
    });
  }

  /** The settings every worker and client command of the run shares (HEALTH_PORT set per worker). */
  env(): NodeJS.ProcessEnv {
    return {
      WATTTIME_USERNAME: 'chaos',
      WATTTIME_PASSWORD: this.password,
      WATTTIME_BASE_URL: this.emulator.url,
      TEMPORAL_ADDRESS: `127.0.0.1:${this.temporalPort}`,
      TEMPORAL_NAMESPACE: 'default',
      INFLUXDB_URL: `http://127.0.0.1:${this.influxPort}`,
      INFLUXDB_TOKEN: 'chaos:unchecked',
      INFLUXDB_ORG: 'chaos',
      INFLUXDB_BUCKET: 'chaos',
      GRID_REGIONS: this.regions.join(','),
      FETCH_INTERVAL_SECONDS: '60',
      TOKEN_REFRESH_BUFFER_SECONDS: '10',
      LOG_LEVEL: 'info',
    };
  }

  async startWorker(name: string): Promise<ChaosWorker> {
    const healthPort = await freePort();
    const logFile = join(this.workDir, `worker-${name}-${this.workerLogs.length + 1}.log`);
    this.workerLogs.push(logFile);
    const env = { ...this.env(), HEALTH_PORT: String(healthPort), METRICS_PORT: String(await freePort()) };
    const process = await startWorkerProcess({ env, logFile });
    const worker = { name, logFile, healthPort, process };
    this.workers.set(name, worker);
    return worker;
  }

  async killWorker(name: string): Promise<void> {
    await this.workers.get(name)?.process.kill();
    this.workers.delete(name);
  }

  /** Stops everything that is still running; safe to call more than once. */
  async stop(): Promise<void> {
    for (const name of [...this.workers.keys()]) await this.killWorker(name);
    await this.emulator?.close();
    await this.temporal?.stop();
    await this.influx?.stop();
  }
}
