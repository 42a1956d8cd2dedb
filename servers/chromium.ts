import { execFileSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { explicitExecutable, isExecutable } from './explicit-path';
import { MissingDependencyError } from './missing-dependency-error';

const executable = 'chromium';
const howToProvide = "install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable.";

/**
 * Headless Chromium, to check what the Temporal Web UI shows a user: `CHROMIUM_PATH`, else
 * `chromium` on `PATH`, else Debian's `chromium` package installed with apt-get (as root only;
 * `apt-get update` first when the package lists do not know it).
 *
 * @returns the absolute path of the Chromium executable.
 * @throws MissingDependencyError (one line saying what to install) when none can be had.
 */
export function resolveChromium(): string {
  return explicitExecutable('CHROMIUM_PATH') ?? onPath(executable) ?? installFromDebian();
}

function onPath(name: string): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, name)).find(isExecutable);
}

function installFromDebian(): string {
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    throw new MissingDependencyError(`Chromium is missing: ${howToProvide}`);
  }
  process.stderr.write('[servers] installing Debian package chromium with apt-get (once; reused afterwards)\n');
  const apt = (...args: string[]): void => {
    execFileSync('apt-get', args, { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  try {
    if (!aptKnows(executable)) apt('update');
    apt('install', '-y', '--no-install-recommends', executable);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    throw new MissingDependencyError(`Chromium is missing and apt-get install chromium failed (${reason}); ${howToProvide}`);
  }
  const path = onPath(executable);
  if (!path) throw new MissingDependencyError(`Chromium is missing after apt-get install chromium; ${howToProvide}`);
  return path;
}

/** Whether the apt package lists hold a candidate for `name` (they may be empty before an update). */
function aptKnows(name: string): boolean {
  const policy = execFileSync('apt-cache', ['policy', name], { encoding: 'utf8' });
  return /Candidate: (?!\(none\))/.test(policy);
}
