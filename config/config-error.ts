/** A missing or invalid setting: its message is the one line shown to the operator. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
