/** Everything the emulator remembers between requests, behind one injectable clock. */
import { AccountStore, type EmulatorAccount } from './accounts';
import { CounterStore } from './counters';
import { FaultInjector } from './faults';
import { RollingWindowLimiter } from './rate-limit';
import { TokenStore, type TokenFormat } from './tokens';

/** WattTime's published limits, per user, over a rolling 5 minutes. */
const RATE_WINDOW_MS = 5 * 60_000;
export const DATA_REQUESTS_PER_WINDOW = 3_000;
const LOGINS_PER_WINDOW = 100;

export interface EmulatorState {
  /** Milliseconds since the epoch; injectable so tests can run on simulated time. */
  now: () => number;
  accounts: AccountStore;
  tokens: TokenStore;
  faults: FaultInjector;
  counters: CounterStore;
  dataLimiter: RollingWindowLimiter;
  loginLimiter: RollingWindowLimiter;
}

export function createState(options: {
  accounts: readonly EmulatorAccount[];
  tokenTtlSeconds: number;
  tokenFormat: TokenFormat;
  now: () => number;
  /** Data calls per user per rolling 5 minutes (WattTime's 3,000 unless a bench raises it). */
  dataRequestsPerWindow: number;
}): EmulatorState {
  return {
    now: options.now,
    accounts: new AccountStore(options.accounts),
    tokens: new TokenStore(options.tokenTtlSeconds, options.tokenFormat),
    faults: new FaultInjector(options.now),
    counters: new CounterStore(),
    dataLimiter: new RollingWindowLimiter(options.dataRequestsPerWindow, RATE_WINDOW_MS),
    loginLimiter: new RollingWindowLimiter(LOGINS_PER_WINDOW, RATE_WINDOW_MS),
  };
}
