import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { explicitExecutable, isExecutable } from './explicit-path';
import { MissingDependencyError } from './missing-dependency-error';

/**
 * The Prometheus server: `PROMETHEUS_PATH`, else `prometheus` on PATH, else Debian's `prometheus`
 * package installed with apt-get (as root only). Throws MissingDependencyError, one line, when
 * none of these gives an executable.
 */
export function resolvePrometheus(): string {
  const explicit = explicitExecutable('PROMETHEUS_PATH');
  if (explicit) return explicit;
  const onPath = findOnPath('prometheus');
  if (onPath) return onPath;
  installWithApt();
  const installed = findOnPath('prometheus');
  if (!installed) throw new MissingDependencyError('apt-get installed prometheus, but no prometheus executable is on PATH.');
  return installed;
}

function findOnPath(executable: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, executable))) return join(dir, executable);
  }
  return undefined;
}

const hint = 'install Debian\'s prometheus package (apt-get install prometheus) or set PROMETHEUS_PATH to a prometheus binary.';

/**
 * Debian's package is the real server. `--no-install-recommends` skips the node exporter; the
 * package's service is not started where there is no init system, which is what tests want.
 */
function installWithApt(): void {
  if (process.getuid?.() !== 0) throw new MissingDependencyError(`prometheus is not on PATH and this user is not root; ${hint}`);
  if (!existsSync('/usr/bin/apt-get')) throw new MissingDependencyError(`prometheus is not on PATH and there is no apt-get; ${hint}`);
  process.stderr.write('[servers] installing Debian\'s prometheus package with apt-get (once)\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): void => {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], { env, stdio: 'inherit' });
  };
  try {
    try {
      install();
    } catch {
      // A fresh machine has no package lists yet; read them once and try again.
      execFileSync('apt-get', ['update'], { env, stdio: 'inherit' });
      install();
    }
  } catch (error) {
    throw new MissingDependencyError(
      `apt-get install prometheus failed (${(error as Error).message.split('\n')[0]}); ${hint}`,
    );
  }
}
