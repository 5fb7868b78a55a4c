/** A setting the service cannot start with; its message is the one line printed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
