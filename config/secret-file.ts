import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

/**
 * The value of `name`, or the trimmed contents of the file named by `name_FILE` (Docker secrets).
 * Setting both is ambiguous and refused.
 */
export function readSecretVariable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) throw new ConfigError(`${name} and ${name}_FILE are both set; set only one.`);
  if (!file) return direct || undefined;
  try {
    const value = readFileSync(file, 'utf8').trim();
    if (!value) throw new ConfigError(`${name}_FILE=${file} is empty.`);
    return value;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${name}_FILE=${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}
