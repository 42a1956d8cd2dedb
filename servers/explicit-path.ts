import { accessSync, constants } from 'node:fs';
import { MissingDependencyError } from './missing-dependency-error';

/**
 * The path in environment variable `variable`, if set. A set variable that does not name an
 * executable file is an error rather than a silent fallback: the operator asked for that file.
 */
export function explicitExecutable(variable: string): string | undefined {
  const path = process.env[variable];
  if (!path) return undefined;
  if (!isExecutable(path)) {
    throw new MissingDependencyError(`${variable}=${path} is not an executable file; fix or unset ${variable}.`);
  }
  return path;
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
