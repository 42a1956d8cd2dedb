import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TemporalConfig } from '../config/temporal-config';
import { shortReason, StartupError } from './startup-error';

/** gRPC status NOT_FOUND, as Temporal answers for an unknown namespace. */
const GRPC_NOT_FOUND = 5;

/** The worker's two ways into Temporal: the native one its workers poll on, and a client for `/health`. */
export interface TemporalConnections {
  readonly address: string;
  readonly namespace: string;
  readonly native: NativeConnection;
  readonly client: Client;
  close(): Promise<void>;
}

/**
 * Connects to Temporal (see `loadTemporalConfig`) and checks that the namespace exists, before
 * anything slower (bundling the workflows) runs.
 *
 * @throws StartupError naming TEMPORAL_ADDRESS when Temporal cannot be reached, or
 *   TEMPORAL_NAMESPACE when it has no such namespace.
 */
export async function connectTemporal(config: TemporalConfig): Promise<TemporalConnections> {
  const { connectionOptions, namespace, address } = config;
  const unreachable = (error: unknown): never => {
    throw new StartupError(`cannot reach Temporal at ${address} (${shortReason(error)}); check TEMPORAL_ADDRESS`);
  };
  const native = await NativeConnection.connect(connectionOptions).catch(unreachable);
  const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 10_000 }).catch(async (error: unknown) => {
    await native.close();
    return unreachable(error);
  });
  const close = async (): Promise<void> => {
    await connection.close();
    await native.close();
  };
  try {
    await connection.workflowService.describeNamespace({ namespace });
  } catch (error) {
    // Anything else (e.g. an API key not allowed to describe it) is left to the worker to meet.
    if (isGrpcServiceError(error) && error.code === GRPC_NOT_FOUND) {
      await close();
      throw new StartupError(`Temporal at ${address} has no namespace ${JSON.stringify(namespace)}; check TEMPORAL_NAMESPACE`);
    }
  }
  return { address, namespace, native, client: new Client({ connection, namespace }), close };
}
