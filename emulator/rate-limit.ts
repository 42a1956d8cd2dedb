/** Per-key rolling-window request limits, on the emulator's (injectable) clock. */
import { textReply, type Reply } from './http';

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RollingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records a request for `key` if the window has room; refused requests are not recorded. */
  tryAcquire(key: string, nowMs: number): LimitDecision {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    this.hits.set(key, recent);
    const oldest = recent[0];
    if (recent.length >= this.limit && oldest !== undefined) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - nowMs) / 1000)) };
    }
    recent.push(nowMs);
    return { allowed: true };
  }
}

/** WattTime's 429 body is undocumented: plain text, so clients rely on the status and header. */
export function rateLimitedReply(retryAfterSeconds: number): Reply {
  return textReply(429, 'Too Many Requests', { 'retry-after': String(retryAfterSeconds) });
}
