/** Replies as values: handlers return (or throw) them, and the server writes them in one place. */
import type { ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Readonly<Record<string, string>>;
}

export function jsonReply(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, contentType: 'application/json', body: JSON.stringify(body), headers };
}

export function textReply(status: number, body: string, headers?: Record<string, string>): Reply {
  return { status, contentType: 'text/plain; charset=utf-8', body, headers };
}

/** The `{error, message}` body WattTime uses for bad requests. */
export function errorReply(status: number, error: string, message: string): Reply {
  return jsonReply(status, { error, message });
}

/** Thrown by request parsing to end a request early with a ready reply. */
export class ReplyError extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export function writeReply(res: ServerResponse, reply: Reply, requestId: string): void {
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
    'x-request-id': requestId,
  });
  res.end(reply.body);
}
