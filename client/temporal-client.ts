import { Client, Connection } from '@temporalio/client';
import { loadTemporalConfig } from '../config/temporal-config';

/** Temporal did not answer: an operator problem, reported in one line. */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
}

/**
 * A Temporal client from the SDK's own environment configuration (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings or a profile), so Temporal Cloud works as is.
 *
 * @throws ConfigError when TEMPORAL_ADDRESS is not host:port; TemporalUnreachableError naming it when nothing answers there.
 */
export async function connectTemporal(): Promise<{ client: Client; close(): Promise<void> }> {
  const { connectionOptions, namespace, address } = loadTemporalConfig();
  const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 5_000 }).catch((error: unknown) => {
    throw new TemporalUnreachableError(`cannot reach Temporal at ${address} (${(error as Error).message}); check TEMPORAL_ADDRESS`);
  });
  return { client: new Client({ connection, namespace }), close: () => connection.close() };
}
