/**
 * The faults of a run, in order, with how long each is held: the full run's outages lose whole
 * WattTime periods (≥ 12 minutes), the short run's fit in about six minutes.
 */
import type { ChaosStack } from './stack';

export interface Fault {
  /** The table's first column. */
  readonly name: string;
  /** Logins this fault forces (a fresh worker, a revocation), on top of token renewals. */
  readonly forcedLogins: number;
  /** Starts the fault; returns when it is in place. */
  inject(stack: ChaosStack): Promise<void>;
  /** Seconds the fault is held before `clear`. */
  readonly holdSeconds: number;
  /** Ends the fault (restarts what was stopped). */
  clear(stack: ChaosStack): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the emulator has been asked for data again, so a kill lands mid-fetch. */
async function untilFetching(stack: ChaosStack, timeoutMs = 120_000): Promise<void> {
  const calls = (): number => Object.values(stack.emulator.control.counters().callsByEndpoint).reduce((a, b) => a + b, 0);
  const before = calls();
  // Latency keeps the fetch in flight while the kill lands.
  stack.emulator.control.setFaults({ latencyMs: 3_000 });
  const deadline = Date.now() + timeoutMs;
  while (calls() === before && Date.now() < deadline) await sleep(100);
  await sleep(500);
}

/** The faults with their hold times: `long` for outages that must lose periods, `short` for the rest. */
export function faults(mode: 'full' | 'short'): Fault[] {
  const outage = mode === 'full' ? 12.5 * 60 : 30;
  const temporalOutage = mode === 'full' ? 4 * 60 : 20;
  const hold = mode === 'full' ? 120 : 12;
  const setFaults = (settings: Parameters<ChaosStack['emulator']['control']['setFaults']>[0]) => async (stack: ChaosStack) =>
    stack.emulator.control.setFaults(settings);
  const resetFaults = async (stack: ChaosStack): Promise<void> => stack.emulator.control.resetFaults();
  return [
    {
      name: 'two workers, one SIGKILLed mid-fetch',
      forcedLogins: 0,
      inject: async (stack) => {
        await untilFetching(stack);
        await stack.killWorker('a');
      },
      holdSeconds: hold,
      clear: resetFaults,
    },
    {
      name: 'only worker SIGKILLed mid-fetch, restarted',
      forcedLogins: 1,
      inject: async (stack) => {
        await untilFetching(stack);
        await stack.killWorker('b');
      },
      holdSeconds: mode === 'full' ? 60 : 5,
      clear: async (stack) => {
        stack.emulator.control.resetFaults();
        await stack.startWorker('c');
      },
    },
    {
      name: `Temporal dev server down ${temporalOutage}s`,
      forcedLogins: 0,
      inject: async (stack) => stack.temporal.stop(),
      holdSeconds: temporalOutage,
      clear: async (stack) => stack.startTemporal(),
    },
    {
      name: `InfluxDB down ${outage}s`,
      forcedLogins: 0,
      inject: async (stack) => stack.influx.stop(),
      holdSeconds: outage,
      clear: async (stack) => stack.startInflux(),
    },
    {
      name: `WattTime 503 to all, login too, ${outage}s`,
      forcedLogins: 0,
      inject: setFaults({ serverErrorRate: 1, loginServerErrorRate: 1, serverErrorStatus: 503 }),
      holdSeconds: outage,
      clear: resetFaults,
    },
    {
      name: 'tokens revoked',
      forcedLogins: 1,
      inject: async (stack) => stack.emulator.control.revokeAllTokens(),
      holdSeconds: hold,
      clear: resetFaults,
    },
    {
      name: `malformed bodies ${hold}s`,
      forcedLogins: 0,
      inject: setFaults({ malformedRate: 1 }),
      holdSeconds: hold,
      clear: resetFaults,
    },
    {
      name: `429 burst, Retry-After: 5, ${hold}s`,
      forcedLogins: 0,
      inject: setFaults({ rateLimitRate: 1, retryAfterSeconds: 5 }),
      holdSeconds: hold,
      clear: resetFaults,
    },
    {
      // The emulator always sends the header; 0 means "no wait advised", the client's own backoff decides.
      name: `429 burst, Retry-After: 0, ${hold}s`,
      forcedLogins: 0,
      inject: setFaults({ rateLimitRate: 1, retryAfterSeconds: 0 }),
      holdSeconds: hold,
      clear: resetFaults,
    },
    {
      name: `5 s latency on every call, ${hold}s`,
      forcedLogins: 0,
      inject: setFaults({ latencyMs: 5_000 }),
      holdSeconds: hold,
      clear: resetFaults,
    },
  ];
}
