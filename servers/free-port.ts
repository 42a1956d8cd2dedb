import { createServer } from 'node:net';

/**
 * Ports handed out here come from below Linux's ephemeral range (32768+), where the kernel
 * picks client sockets and port-0 listeners: a port found free cannot then be taken by some
 * outgoing connection or `listen(0)` before the server it was found for binds it.
 */
const FIRST_PORT = 20_000;
const LAST_PORT = 32_000;

/** A TCP port that is free on loopback now, chosen at random from a range nothing else draws from. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port found between ${FIRST_PORT} and ${LAST_PORT}`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolveCheck) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveCheck(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveCheck(true)));
  });
}
