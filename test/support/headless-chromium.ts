import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'undici';
import { freePort } from '../../servers/free-port';
import { ManagedProcess } from '../../servers/managed-process';
import { waitUntilReady } from '../../servers/wait-until';

/** A DevTools protocol reply (`id`) or event (`method`), as far as this file reads them. */
interface CdpMessage {
  id?: number;
  result?: unknown;
  error?: { message: string };
  method?: string;
  params?: {
    type?: string;
    args?: { value?: unknown; description?: string }[];
    exceptionDetails?: { text?: string; exception?: { description?: string } };
  };
}

export interface HeadlessChromiumOptions {
  /** The Chromium executable (`resolveChromium()`). */
  readonly executable: string;
  /** Chromium's own stdout and stderr. */
  readonly logFile: string;
  /** Viewport in CSS pixels, default 1400×1000. */
  readonly width?: number;
  readonly height?: number;
}

/**
 * One headless Chromium tab driven over the DevTools protocol (CDP), for reading what a
 * JavaScript app such as the Temporal Web UI shows once it has rendered. `--dump-dom` is not
 * enough there: the UI's long-polls keep virtual time from ever running out.
 */
export class HeadlessChromium {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  /** Uncaught exceptions and `console.error` lines of the pages opened so far, for failure messages. */
  readonly consoleErrors: string[] = [];

  private constructor(
    private readonly browser: ManagedProcess,
    private readonly socket: WebSocket,
    private readonly profileDir: string,
  ) {
    socket.addEventListener('close', () => {
      for (const call of this.pending.values()) call.reject(new Error('Chromium closed its DevTools socket'));
      this.pending.clear();
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      this.collectConsoleError(message);
      const call = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id!);
      if (message.error) call.reject(new Error(`Chromium: ${message.error.message}`));
      else call.resolve(message.result);
    });
  }

  /** Starts Chromium with a throw-away profile and connects to its first tab. */
  static async start(options: HeadlessChromiumOptions): Promise<HeadlessChromium> {
    const port = await freePort();
    const profileDir = mkdtempSync(join(tmpdir(), 'carbon-chromium-'));
    const browser = ManagedProcess.start({
      name: 'Chromium',
      command: options.executable,
      args: [
        '--headless',
        // Root (as in CI) cannot use Chromium's sandbox; the pages are our own servers on loopback.
        '--no-sandbox',
        '--disable-gpu',
        '--disable-breakpad',
        '--no-first-run',
        // Only loopback resolves: the Web UI's own calls out (a news feed) never leave the machine.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
        '--remote-debugging-address=127.0.0.1',
        `--remote-debugging-port=${port}`,
        `--user-data-dir=${profileDir}`,
        `--window-size=${options.width ?? 1400},${options.height ?? 1000}`,
        'about:blank',
      ],
      logFile: options.logFile,
    });
    try {
      const listUrl = `http://127.0.0.1:${port}/json/list`;
      await waitUntilReady(browser, async () => (await fetch(listUrl)).ok);
      const targets = (await (await fetch(listUrl)).json()) as { type: string; webSocketDebuggerUrl: string }[];
      const tab = targets.find((target) => target.type === 'page');
      if (!tab) throw new Error(`Chromium opened no tab; see ${options.logFile}`);
      const socket = new WebSocket(tab.webSocketDebuggerUrl);
      await new Promise<void>((resolveOpen, rejectOpen) => {
        socket.addEventListener('open', () => resolveOpen(), { once: true });
        socket.addEventListener('error', () => rejectOpen(new Error(`Chromium's DevTools socket failed; see ${options.logFile}`)), { once: true });
      });
      const chromium = new HeadlessChromium(browser, socket, profileDir);
      await chromium.send('Runtime.enable', {});
      return chromium;
    } catch (error) {
      await browser.stop();
      rmSync(profileDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Opens `url` in the tab (returns once navigation started; the app renders afterwards). */
  async open(url: string): Promise<void> {
    const result = (await this.send('Page.navigate', { url })) as { errorText?: string };
    if (result.errorText) throw new Error(`Chromium could not open ${url}: ${result.errorText}`);
  }

  /** The value of a JavaScript expression evaluated in the page (must be JSON-serialisable). */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value: T };
      exceptionDetails?: { text: string };
    };
    if (reply.exceptionDetails) throw new Error(`in the page: ${reply.exceptionDetails.text}`);
    return reply.result.value;
  }

  /**
   * What a user reads on the page: the `innerText` of its body and of its same-origin frames (the
   * Web UI renders user metadata, such as a workflow's current details, in an iframe).
   */
  text(): Promise<string> {
    return this.evaluate<string>(
      `[document, ...Array.from(document.querySelectorAll('iframe'), (frame) => frame.contentDocument)]
        .map((doc) => (doc && doc.body ? doc.body.innerText : '')).join('\\n')`,
    );
  }

  /**
   * Polls the page's text (every 250 ms) until `expected` matches it, and returns the first match.
   * @throws Error quoting the page's text and console errors when it does not within `timeoutMs`,
   *   or at once when `failOn` matches it (an error page, say).
   */
  async waitForText(expected: RegExp, timeoutMs: number, failOn?: RegExp): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.text();
      if (failOn?.test(text)) throw new Error(`the page shows ${failOn}: ${this.pageReport(text)}`);
      const match = expected.exec(text);
      if (match) return match[0];
      if (Date.now() > deadline) throw new Error(`the page never showed ${expected} within ${timeoutMs / 1000}s: ${this.pageReport(text)}`);
      await new Promise((resolveSleep) => setTimeout(resolveSleep, 250));
    }
  }

  private pageReport(text: string): string {
    const errors = this.consoleErrors.length === 0 ? 'none' : this.consoleErrors.join(' | ');
    return `it reads "${text.replace(/\s+/g, ' ').slice(0, 1500)}"; console errors: ${errors}`;
  }

  /** Saves a PNG of the viewport, for a person to look at. */
  async screenshot(path: string): Promise<void> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    writeFileSync(path, Buffer.from(data, 'base64'));
  }

  async close(): Promise<void> {
    this.socket.close();
    await this.browser.stop(5_000);
    rmSync(this.profileDir, { recursive: true, force: true, maxRetries: 10 });
  }

  private collectConsoleError(message: CdpMessage): void {
    if (message.method === 'Runtime.exceptionThrown') {
      const details = message.params?.exceptionDetails;
      this.consoleErrors.push(details?.exception?.description ?? details?.text ?? 'uncaught exception');
    } else if (message.method === 'Runtime.consoleAPICalled' && message.params?.type === 'error') {
      this.consoleErrors.push((message.params.args ?? []).map((arg) => arg.description ?? String(arg.value)).join(' '));
    }
  }

  private send(method: string, params: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolveCall, rejectCall) => {
      this.pending.set(id, { resolve: resolveCall, reject: rejectCall });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}
