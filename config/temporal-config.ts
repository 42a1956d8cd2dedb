/**
 * Where Temporal is, as the SDK's environment configuration reads it (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings or a profile), checked before any connection.
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { ConfigError } from './settings';

/** `host` or `host:port`: a DNS name (underscores tolerated), an IPv4 address or a bracketed IPv6 one. */
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/;

/** The SDK's default frontend address. */
const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';

export interface TemporalConfig {
  /** For `NativeConnection.connect` (the worker) and `Connection.connect` (clients) alike. */
  readonly connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
  /** `host:port` dialled, for messages. */
  readonly address: string;
  readonly namespace: string;
}

/**
 * Why `address` is not an address the Temporal SDK can dial, as one line naming the variable, or
 * undefined when it is one. (The SDK itself would answer e.g. "invalid international domain name".)
 */
export function temporalAddressProblem(address: string): string | undefined {
  const match = HOST_PORT.exec(address);
  const port = match?.[1] === undefined ? undefined : Number(match[1]);
  if (match === null || (port !== undefined && (port < 1 || port > 65_535))) {
    return `TEMPORAL_ADDRESS must be host:port, like localhost:7233 or temporal.example.com:7233, got ${JSON.stringify(address)}`;
  }
  return undefined;
}

/**
 * The connection options and namespace from the SDK's environment configuration.
 *
 * @throws ConfigError when TEMPORAL_ADDRESS is not host:port.
 */
export function loadTemporalConfig(): TemporalConfig {
  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  const address = connectionOptions.address ?? DEFAULT_TEMPORAL_ADDRESS;
  const problem = temporalAddressProblem(address);
  if (problem !== undefined) throw new ConfigError(problem);
  return { connectionOptions, address, namespace };
}
