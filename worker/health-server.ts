import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { shortReason, StartupError } from './startup-error';

/** What `GET /health` reports: 200 when `ok`, else 503, always with this JSON body. */
export interface HealthReport {
  readonly ok: boolean;
  readonly reason?: string;
  readonly [key: string]: unknown;
}

/**
 * Serves `GET /health` on 0.0.0.0:`port` from `report(detail)`, `detail` true for
 * `/health?detail=1` (or `=true`); anything else is 404.
 *
 * @throws StartupError naming HEALTH_PORT when the port cannot be bound (e.g. already in use).
 */
export async function startHealthServer(
  port: number,
  report: (detail: boolean) => Promise<HealthReport>,
  logger: Logger,
): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://health');
    if (request.method !== 'GET' || url.pathname !== '/health') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const detail = ['1', 'true'].includes(url.searchParams.get('detail') ?? '');
    report(detail)
      .catch((error: unknown): HealthReport => ({ ok: false, reason: `health check failed: ${(error as Error).message}` }))
      .then((body) => {
        response.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      })
      .catch((error: unknown) => logger.error({ err: error }, 'health response failed'));
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error) => {
      reject(new StartupError(`cannot serve /health on HEALTH_PORT ${port} (${shortReason(error)}); set HEALTH_PORT to a free port`));
    });
    server.listen(port, () => resolveListen());
  });
  return server;
}
