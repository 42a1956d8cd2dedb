/** What the emulator has been asked and how it answered, for tests and the demo. */

export interface EmulatorCounters {
  /** Logins answered 200. */
  logins: number;
  /** Logins answered anything else (bad or missing credentials, rate limit, injected 5xx). */
  failedLogins: number;
  /** Requests per path (`/login`, `/v3/forecast`, …), control endpoints excluded. */
  callsByEndpoint: Record<string, number>;
  /** Answers per status code (`"200"`, `"401"`, …), control endpoints excluded. */
  answersByStatus: Record<string, number>;
}

export class CounterStore {
  private state: EmulatorCounters = CounterStore.empty();

  private static empty(): EmulatorCounters {
    return { logins: 0, failedLogins: 0, callsByEndpoint: {}, answersByStatus: {} };
  }

  countCall(path: string): void {
    this.state.callsByEndpoint[path] = (this.state.callsByEndpoint[path] ?? 0) + 1;
  }

  countAnswer(status: number): void {
    const key = String(status);
    this.state.answersByStatus[key] = (this.state.answersByStatus[key] ?? 0) + 1;
  }

  countLogin(ok: boolean): void {
    if (ok) this.state.logins += 1;
    else this.state.failedLogins += 1;
  }

  /** A copy, so callers can keep it as a before/after snapshot. */
  snapshot(): EmulatorCounters {
    return {
      logins: this.state.logins,
      failedLogins: this.state.failedLogins,
      callsByEndpoint: { ...this.state.callsByEndpoint },
      answersByStatus: { ...this.state.answersByStatus },
    };
  }

  reset(): void {
    this.state = CounterStore.empty();
  }
}
