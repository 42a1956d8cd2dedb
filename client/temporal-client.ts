import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';

/**
 * A Temporal client from the SDK's own environment configuration (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS settings or a profile), so Temporal Cloud works as is.
 */
export async function connectTemporal(): Promise<{ client: Client; close(): Promise<void> }> {
  const { connectionOptions, namespace = 'default' } = loadClientConnectConfig();
  const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 5_000 });
  return { client: new Client({ connection, namespace }), close: () => connection.close() };
}
