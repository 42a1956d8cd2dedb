/**
 * A WattTime API v3 emulator on a real HTTP server, following /work/shared/WATTTIME.md: the only
 * stand-in in the project, started in-process by tests and by `npm run emulator` for the demo.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_ACCOUNT, type EmulatorAccount } from './accounts';
import { controlCall, createControl, type EmulatorControl } from './control';
import { dataCall } from './data-call';
import { V3_ENDPOINTS } from './endpoints';
import { errorReply, textReply, writeReply, type Reply } from './http';
import { login } from './login';
import { createState, DATA_REQUESTS_PER_WINDOW, type EmulatorState } from './state';
import type { TokenFormat } from './tokens';

export { DEFAULT_ACCOUNT } from './accounts';
export type { EmulatorAccount } from './accounts';
export type { EmulatorControl } from './control';
export type { EmulatorCounters } from './counters';
export type { FaultSettings } from './faults';
export type { TokenFormat } from './tokens';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default: DEFAULT_ACCOUNT alone. */
  accounts?: readonly EmulatorAccount[];
  /** Lifetime of issued tokens, default 1800 (WattTime's 30 minutes). */
  tokenTtlSeconds?: number;
  /** Default `opaque`, as WattTime documents; `jwt` exposes a short lifetime to clients. */
  tokenFormat?: TokenFormat;
  /** Clock in ms since the epoch, for token expiry, periods and rate-limit windows. */
  now?: () => number;
  /**
   * Data calls each user may make per rolling 5 minutes, default WattTime's 3,000; the scale
   * bench raises it so it measures the worker, not the account's budget.
   */
  callsPer5Minutes?: number;
}

export interface RunningEmulator {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43123. */
  url: string;
  port: number;
  control: EmulatorControl;
  close(): Promise<void>;
}

const DEFAULT_TOKEN_TTL_SECONDS = 1800;
const MAX_CONTROL_BODY_BYTES = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_CONTROL_BODY_BYTES) req.destroy(new Error('control body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Answers one API request: anything outside `/_emulator/`. */
async function apiCall(state: EmulatorState, req: IncomingMessage, url: URL, signal: AbortSignal): Promise<Reply> {
  const method = req.method ?? 'GET';
  const authorization = req.headers.authorization;
  const handler = V3_ENDPOINTS.get(url.pathname);
  if (url.pathname !== '/login' && handler === undefined) {
    return errorReply(404, 'not_found', `No endpoint ${url.pathname}`);
  }
  // Every WattTime call this project relies on is a GET; `POST /login` is a known old mistake.
  if (method !== 'GET') return textReply(405, 'Method Not Allowed', { allow: 'GET' });
  if (handler === undefined) return login(state, authorization);
  return dataCall(state, handler, { authorization, query: url.searchParams }, signal);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = createState({
    accounts: options.accounts ?? [DEFAULT_ACCOUNT],
    tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    tokenFormat: options.tokenFormat ?? 'opaque',
    now: options.now ?? Date.now,
    dataRequestsPerWindow: options.callsPer5Minutes ?? DATA_REQUESTS_PER_WINDOW,
  });
  const control = createControl(state);
  // Aborts in-flight injected latency when the emulator closes.
  const closing = new AbortController();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const isControl = url.pathname.startsWith('/_emulator/');
    if (!isControl) state.counters.countCall(url.pathname);
    let reply: Reply;
    try {
      reply = isControl
        ? controlCall(state, req.method ?? 'GET', url.pathname, await readBody(req))
        : await apiCall(state, req, url, closing.signal);
    } catch (error) {
      if (closing.signal.aborted) {
        res.destroy();
        return;
      }
      reply = textReply(500, `Emulator error: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isControl) state.counters.countAnswer(reply.status);
    writeReply(res, reply, requestId);
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  // Idempotent: a test may close explicitly and again in its clean-up.
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve, reject) => {
      closing.abort();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }));

  return { url: `http://${host}:${address.port}`, port: address.port, control, close };
}
