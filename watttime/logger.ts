/**
 * The slice of a pino logger the WattTime client uses (object first, then message), so a pino
 * instance or a test double both fit. Log objects never carry a password or a token.
 */
export interface WattTimeLogger {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

const ignore = (): void => undefined;

/** For callers that do not want logs. */
export const silentLogger: WattTimeLogger = { warn: ignore, info: ignore, debug: ignore };
