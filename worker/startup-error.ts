/**
 * A start-up failure the operator fixes in the environment (Temporal unreachable, an unknown
 * namespace, a busy port): its message is the one line the worker prints, naming the variable.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** The gist of a native or gRPC error in a few words, for a one-line message. */
export function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ConnectionRefused|Connection refused|ECONNREFUSED/i.test(message)) return 'connection refused';
  if (/dns error|failed to lookup address|ENOTFOUND|Name or service not known/i.test(message)) return 'host name not found';
  if (/timed out|deadline/i.test(message)) return 'timed out';
  if (/Address already in use|EADDRINUSE/i.test(message)) return 'address already in use';
  if (/permission denied|EACCES/i.test(message)) return 'permission denied';
  const firstLine = message.split('\n')[0] ?? '';
  return firstLine.length > 160 ? `${firstLine.slice(0, 160)}…` : firstLine;
}
