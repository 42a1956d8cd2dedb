/**
 * Runs a long step (an install or a build) and, while it runs, writes one line every
 * `everyMs` (default 30 s) to stderr saying it is still going and for how long, so a first run
 * never looks stuck, e.g. "[servers] still building InfluxDB: 3m30s so far (about 7 min in all)".
 */
export async function withProgress<T>(label: string, estimate: string, step: () => Promise<T>, everyMs = 30_000): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => {
    process.stderr.write(`[servers] still ${label}: ${elapsed(Date.now() - started)} so far (${estimate})\n`);
  }, everyMs);
  try {
    return await step();
  } finally {
    clearInterval(timer);
  }
}

function elapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
