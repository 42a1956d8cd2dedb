import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../servers/cache-dir';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the client command (`npm run client -- …`) as a user would, in its own process. */
export function runClient(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(projectRoot, 'client', 'main.ts'), ...args],
      { cwd: projectRoot, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolveRun({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
