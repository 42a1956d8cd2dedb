import pino, { type Logger } from 'pino';

/**
 * The worker's JSON logger. Log objects are built without secrets; the redaction list is a second
 * line of defence against a careless `{ password }` or `{ token }` field.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'carbon-intensity-worker' },
    redact: {
      paths: ['password', 'token', 'authorization', '*.password', '*.token', '*.authorization'],
      censor: '[redacted]',
    },
  });
}
