import { InvalidArgumentError } from 'commander';

const unitMs = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** "90s", "2m", "1h" or plain seconds → milliseconds (for `--for`). */
export function parseDuration(text: string): number {
  const match = /^(\d+)([smh]?)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected a duration such as 90s, 2m or 1h.');
  return Number(match[1]) * unitMs[(match[2] || 's') as keyof typeof unitMs];
}
