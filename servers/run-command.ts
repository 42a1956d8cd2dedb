import { spawn } from 'node:child_process';

export interface RunCommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * Runs an install or build step with its output shown on this process's stderr (so the user
 * sees the progress), without blocking the event loop.
 *
 * @throws Error "`command` exited with code N" (or "could not start: …") when the step fails.
 */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<void> {
  return new Promise((resolveRun, rejectRun) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.once('error', (error) => rejectRun(new Error(`${command} could not start: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolveRun();
      else rejectRun(new Error(`${command} exited with ${signal ? `signal ${signal}` : `code ${code}`}`));
    });
  });
}
