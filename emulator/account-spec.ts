/** Parses the CLI's `--account user:password[:REGION,REGION…]` into an account. */
import { InvalidArgumentError } from 'commander';
import { accountSchema, type EmulatorAccount } from './accounts';

/**
 * `user:password` is a free account (CAISO_NORTH only); a third part lists paid regions. With
 * three or more parts the last one is always the region list, so a password containing ":"
 * must be followed by one, possibly empty (`user:pa:ss:`).
 */
export function parseAccountSpec(spec: string): EmulatorAccount {
  const parts = spec.split(':');
  if (parts.length < 2) throw new InvalidArgumentError('expected user:password[:REGION,REGION…]');
  const username = parts[0];
  const regionsPart = parts.length > 2 ? (parts.at(-1) ?? '') : '';
  const password = parts.slice(1, parts.length > 2 ? -1 : undefined).join(':');
  const regions = regionsPart === '' ? [] : regionsPart.split(',').map((r) => r.trim());
  const result = accountSchema.safeParse({ username, password, regions });
  if (!result.success) {
    throw new InvalidArgumentError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return result.data;
}
