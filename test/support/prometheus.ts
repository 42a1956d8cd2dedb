/** Test helpers around a real Prometheus: an HTTP target to scrape, and PromQL over its HTTP API. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsTarget {
  /** `127.0.0.1:port`, as a Prometheus scrape target. */
  readonly address: string;
  /** How many times `/metrics` was served. */
  readonly scrapes: () => number;
  close(): Promise<void>;
}

/** Serves `render()` (Prometheus text exposition format) at `/metrics` on a loopback port. */
export async function serveMetrics(render: (scrape: number) => string): Promise<MetricsTarget> {
  let scrapes = 0;
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    const body = render(scrapes);
    scrapes += 1;
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    scrapes: () => scrapes,
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}

export interface Sample {
  /** Labels of the series (`__name__` included when the result keeps it). */
  readonly metric: Record<string, string>;
  readonly value: number;
}

/**
 * Evaluates `expr` with `/api/v1/query` at `time` (Unix seconds; now when absent) and returns
 * the instant vector sorted by labels. Throws with Prometheus's message when it refuses the query.
 */
export async function instantQuery(prometheusUrl: string, expr: string, time?: number): Promise<Sample[]> {
  const params = new URLSearchParams({ query: expr, ...(time === undefined ? {} : { time: String(time) }) });
  const response = await fetch(`${prometheusUrl}/api/v1/query`, { method: 'POST', body: params });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success' || body.data?.resultType !== 'vector') {
    throw new Error(`Prometheus refused ${expr}: ${body.error ?? JSON.stringify(body)}`);
  }
  return body.data.result
    .map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }))
    .sort(byLabels);
}

/** Orders samples by their labels' JSON, code unit by code unit (no locale rules). */
export function byLabels(a: Sample, b: Sample): number {
  const [left, right] = [JSON.stringify(a.metric), JSON.stringify(b.metric)];
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Polls `probe` every 250 ms until it returns true, or fails after `timeoutMs` naming `what`. */
export async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
