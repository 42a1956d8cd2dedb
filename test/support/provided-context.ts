/** Addresses of the servers the global setup started, handed to tests with `inject()`. */
export interface LocalServersContext {
  temporalAddress: string;
  temporalWebUiUrl: string;
  influxUrl: string;
  influxDatabase: string;
  temporalTestServerPath: string;
  /** The Temporal CLI the dev server runs from (tests run its other commands too). */
  temporalCliPath: string;
  /** Headless Chromium, for reading what the Temporal Web UI shows. */
  chromiumPath: string;
  /** Folder where this run keeps server logs (and tests may keep theirs). */
  logDir: string;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface ProvidedContext extends LocalServersContext {}
}
