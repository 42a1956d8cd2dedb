import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir';
import { explicitExecutable, isExecutable } from './explicit-path';
import { MissingDependencyError } from './missing-dependency-error';
import { withProgress } from './progress';
import { runCommand } from './run-command';
import { versions } from './versions';

/** How long the one-time build took on 2 cores: 7 min idle, 14 min (858 s) shared (shown while it runs). */
const BUILD_ESTIMATE = 'usually 7-15 min on 2 idle cores, much longer while other work loads the machine; it is still working';

/**
 * `influxd`: `INFLUXD_PATH`, else the cached build, else a build from the Go module proxy
 * (minutes; see BUILD_ESTIMATE), with its output and a progress line every 30 s on stderr.
 *
 * @throws MissingDependencyError when the path is set but not executable, or the build fails.
 */
export async function resolveInfluxd(): Promise<string> {
  const explicit = explicitExecutable('INFLUXD_PATH');
  if (explicit) return explicit;
  const cached = cachedInfluxdPath();
  if (!isExecutable(cached)) await buildInfluxd(cached);
  return cached;
}

export function cachedInfluxdPath(): string {
  return join(cacheDir(), `influxdb-${versions.influxdb}`, 'influxd');
}

/**
 * Builds InfluxDB OSS 1.x with `go install`. Its Flux engine (libflux) is Rust, built by
 * influxdata's pkg-config wrapper with cargo. Two traps: flux pins an old Rust toolchain that is
 * not installed (so RUSTUP_TOOLCHAIN selects the installed one) and its crates deny warnings
 * that newer compilers emit (so a workspace wrapper appends --cap-lints=warn).
 */
async function buildInfluxd(target: string): Promise<void> {
  requireTool('go', 'install Go (the Go toolchain builds InfluxDB), or set INFLUXD_PATH to an influxd binary.');
  requireTool('cargo', 'install Rust with cargo (InfluxDB\'s Flux engine is Rust), or set INFLUXD_PATH to an influxd binary.');

  const toolsDir = join(cacheDir(), 'build-tools');
  const stagingDir = join(cacheDir(), `influxdb-${versions.influxdb}.building`);
  mkdirSync(toolsDir, { recursive: true });
  rmSync(stagingDir, { recursive: true, force: true });
  mkdirSync(stagingDir, { recursive: true });

  const capLints = join(toolsDir, 'rustc-cap-lints');
  writeFileSync(capLints, '#!/bin/sh\n# rustc wrapper: report lint errors as warnings so new compilers build old crates\nexec "$@" --cap-lints=warn\n');
  chmodSync(capLints, 0o755);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CGO_ENABLED: '1',
    PKG_CONFIG: join(toolsDir, 'pkg-config'),
    RUSTC_WORKSPACE_WRAPPER: capLints,
  };
  const toolchain = installedRustToolchain();
  if (toolchain) env['RUSTUP_TOOLCHAIN'] = toolchain;

  const started = Date.now();
  process.stderr.write(
    `[servers] building InfluxDB ${versions.influxdb} from the Go module proxy (first time only, ${BUILD_ESTIMATE}; ` +
      `cached afterwards in ${target})\n`,
  );
  try {
    await withProgress('building InfluxDB', BUILD_ESTIMATE, async () => {
      await runCommand('go', ['install', `github.com/influxdata/pkg-config@${versions.influxPkgConfig}`], {
        env: { ...env, GOBIN: toolsDir },
      });
      process.stderr.write('[servers] building influxd and libflux (Rust); this is the slow part\n');
      await runCommand('go', ['install', `github.com/influxdata/influxdb/cmd/influxd@${versions.influxdb}`], {
        env: { ...env, GOBIN: stagingDir },
      });
    });
  } catch (error) {
    throw new MissingDependencyError(
      `building InfluxDB ${versions.influxdb} failed (${(error as Error).message.split('\n')[0]}); ` +
        'see the build output above, or set INFLUXD_PATH to an influxd binary.',
    );
  }
  mkdirSync(join(target, '..'), { recursive: true });
  renameSync(join(stagingDir, 'influxd'), target);
  rmSync(stagingDir, { recursive: true, force: true });
  process.stderr.write(`[servers] InfluxDB built in ${Math.round((Date.now() - started) / 1000)}s: ${target}\n`);
}

function requireTool(tool: string, hint: string): void {
  try {
    execFileSync(tool, ['version'], { stdio: 'ignore' });
  } catch {
    try {
      execFileSync(tool, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new MissingDependencyError(`${tool} is not on PATH; ${hint}`);
    }
  }
}

/** The toolchain rustup would pick outside any project, e.g. "stable-x86_64-unknown-linux-gnu". */
function installedRustToolchain(): string | undefined {
  try {
    const output = execFileSync('rustup', ['show', 'active-toolchain'], { cwd: cacheDir(), encoding: 'utf8' });
    return output.trim().split(/\s+/)[0] || undefined;
  } catch {
    return undefined;
  }
}
