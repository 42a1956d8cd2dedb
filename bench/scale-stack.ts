/**
 * The real stack one step of the scale bench runs on, each part its own process so its CPU time
 * can be read apart: the Temporal dev server (in memory), InfluxDB, the WattTime emulator with a
 * raised call budget and an account listing the bench regions, and one worker process (or more, on
 * the same task queue) started as `npm run worker` is.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../servers/free-port';
import { startInfluxDb, type InfluxDbServer } from '../servers/influxdb-server';
import type { ManagedProcess } from '../servers/managed-process';
import { obtainServerBinaries } from '../servers/obtain-binaries';
import { startTemporalDevServer, type TemporalDevServer } from '../servers/temporal-dev-server';
import { startWorkerProcess } from '../servers/worker-process';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process';

/** The processes whose CPU the bench reads, by the name its table uses. */
export type StackProcess = 'worker' | 'dev server' | 'InfluxDB' | 'emulator';

export interface ScaleStackOptions {
  readonly workDir: string;
  readonly regions: readonly string[];
  /** The emulator's data-call budget per 5 minutes, and the worker's `WATTTIME_CALLS_PER_5_MINUTES`. */
  readonly callsPer5Minutes: number;
  /** More worker settings, e.g. `FETCH_WINDOW_SECONDS`. */
  readonly workerEnv: Readonly<Record<string, string>>;
  /** Node options for the worker process, e.g. `--cpu-prof` (see `--profile-dir`). */
  readonly workerNodeArgs: readonly string[];
  /** Worker processes on the one task queue; default 1. */
  readonly workers?: number;
}

export class ScaleStack {
  private temporal: TemporalDevServer | undefined;
  private influx: InfluxDbServer | undefined;
  private emulator: EmulatorProcess | undefined;
  private readonly workers: ManagedProcess[] = [];
  private readonly password = `bench-${randomBytes(9).toString('hex')}`;

  private constructor(private readonly options: ScaleStackOptions) {}

  /**
   * Obtains the binaries, then starts the servers, the emulator and the worker.
   *
   * @throws MissingDependencyError or the failing server's Error (everything started is stopped).
   */
  static async start(options: ScaleStackOptions): Promise<ScaleStack> {
    const stack = new ScaleStack(options);
    try {
      const binaries = await obtainServerBinaries();
      const { workDir } = options;
      const [temporal, influx, emulator] = await Promise.allSettled([
        startTemporalDevServer({ executable: binaries.temporalCli, workDir }),
        startInfluxDb({ executable: binaries.influxd, workDir: join(workDir, 'influxdb'), database: 'bench' }),
        startEmulatorProcess({
          username: 'bench',
          password: stack.password,
          regions: options.regions,
          callsPer5Minutes: options.callsPer5Minutes,
          logFile: join(workDir, 'emulator.log'),
        }),
      ]);
      stack.temporal = temporal.status === 'fulfilled' ? temporal.value : undefined;
      stack.influx = influx.status === 'fulfilled' ? influx.value : undefined;
      stack.emulator = emulator.status === 'fulfilled' ? emulator.value : undefined;
      for (const part of [temporal, influx, emulator]) if (part.status === 'rejected') throw part.reason;
      for (let n = 1; n <= (options.workers ?? 1); n++) await stack.startWorker(n);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  get temporalAddress(): string {
    return this.started(this.temporal).address;
  }

  /** The emulator's counters (every login and call since it started). */
  counters(): ReturnType<EmulatorProcess['counters']> {
    return this.started(this.emulator).counters();
  }

  /** The settings the worker runs with (and the plain loop, which reads the same ones). */
  env(): Record<string, string> {
    return {
      WATTTIME_USERNAME: 'bench',
      WATTTIME_PASSWORD: this.password,
      WATTTIME_BASE_URL: this.started(this.emulator).url,
      WATTTIME_CALLS_PER_5_MINUTES: String(this.options.callsPer5Minutes),
      TEMPORAL_ADDRESS: this.started(this.temporal).address,
      TEMPORAL_NAMESPACE: 'default',
      INFLUXDB_URL: this.started(this.influx).url,
      INFLUXDB_TOKEN: 'bench:unchecked',
      INFLUXDB_ORG: 'bench',
      INFLUXDB_BUCKET: 'bench',
      LOG_LEVEL: 'info',
      ...this.options.workerEnv,
    };
  }

  /**
   * Starts worker `n` (1-based) as `npm run worker` is, in place of any earlier process of that
   * number (a restart after `killWorker`); each process logs to a file of its own.
   */
  async startWorker(n: number): Promise<void> {
    const env = { ...this.env(), HEALTH_PORT: String(await freePort()), METRICS_PORT: String(await freePort()) };
    const name = n === 1 ? 'worker' : `worker-${n}`;
    const logFile = join(this.options.workDir, this.workers[n - 1] === undefined ? `${name}.log` : `${name}-restarted.log`);
    await this.workers[n - 1]?.stop();
    this.workers[n - 1] = await startWorkerProcess({ env, logFile, nodeArgs: this.options.workerNodeArgs });
  }

  /**
   * Kills worker `n` (1-based) at once, SIGKILL, as a crash or an OOM kill would.
   *
   * @throws Error when there is no such worker.
   */
  async killWorker(n: number): Promise<void> {
    const worker = this.workers[n - 1];
    if (worker === undefined) throw new Error(`the scale stack has no worker ${n}`);
    await worker.kill();
  }

  /** Process ids by name (the first worker's as `worker`). */
  pids(): Record<StackProcess, number> {
    const pid = (value: number | undefined, name: string): number => {
      if (value === undefined) throw new Error(`the ${name} has no process id`);
      return value;
    };
    return {
      worker: pid(this.workers[0]?.pid, 'worker'),
      'dev server': pid(this.temporal?.pid, 'Temporal dev server'),
      InfluxDB: pid(this.influx?.pid, 'InfluxDB server'),
      emulator: pid(this.emulator?.process.pid, 'emulator'),
    };
  }

  /** Stops whatever was started; safe to call more than once. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await Promise.all([this.emulator?.process.stop(), this.temporal?.stop(), this.influx?.stop()]);
  }

  private started<T>(part: T | undefined): T {
    if (part === undefined) throw new Error('the scale stack is not started');
    return part;
  }
}
