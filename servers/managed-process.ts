import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export interface ManagedProcessOptions {
  /** Short name used in messages, e.g. "InfluxDB". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** stdout and stderr go here, so a failed run leaves the server's own log behind. */
  readonly logFile: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** A child server process whose output is kept in a log file and that stops cleanly. */
export class ManagedProcess {
  private code: number | null | undefined = undefined;
  /** Resolves once the process has exited and all its output is in the log file. */
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
    log: WriteStream,
  ) {
    child.once('exit', (code, signal) => {
      this.code = code ?? (signal ? -1 : null);
    });
    this.exited = new Promise((resolveExit) => {
      // 'close' comes after 'exit' once stdout and stderr are drained (and alone after a failed
      // spawn, with a negative errno); then the log is complete.
      child.once('close', (code) => {
        if (this.code === undefined) this.code = code ?? -1;
        log.end(resolveExit);
      });
    });
  }

  static start(options: ManagedProcessOptions): ManagedProcess {
    mkdirSync(dirname(options.logFile), { recursive: true });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    const child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Two sources share the log, so neither may end it; the constructor ends it on 'close'.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('error', (error) => log.write(`failed to start: ${error.message}\n`));
    return new ManagedProcess(options.name, options.logFile, child, log);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether the process has exited (used to fail fast while waiting for readiness). */
  get hasExited(): boolean {
    return this.code !== undefined;
  }

  /** Exit code once exited (-1 when killed by a signal), undefined while running. */
  get exitCode(): number | null | undefined {
    return this.code;
  }

  /** Kills the process at once (SIGKILL), as a crash or an OOM kill would. */
  async kill(): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
