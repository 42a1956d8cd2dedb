/**
 * Switchable misbehaviour for data calls (and optionally login). Rates are fractions of calls,
 * applied on an even, deterministic schedule rather than at random: rate 1 fails every call,
 * 0.5 every other call starting with the next one, 0 none. Changing the settings restarts the
 * schedules, so a test knows exactly which call fails.
 */
import { z } from 'zod';
import { rateLimitedReply } from './rate-limit';
import type { Reply } from './http';

export interface FaultSettings {
  /** Fraction of /v3 calls answered with `serverErrorStatus` and an HTML body. */
  serverErrorRate: number;
  serverErrorStatus: number;
  /**
   * Fraction of /v3 calls answered 403 with an HTML page, as a CDN or proxy in front of the API
   * would (WattTime's own 403 is JSON "Invalid scope…").
   */
  forbiddenRate: number;
  /** Fraction of /v3 calls answered 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Fraction of would-be-200 /v3 answers replaced by a malformed body (still 200). */
  malformedRate: number;
  /** Delay added before every /v3 answer, in real milliseconds. */
  latencyMs: number;
  /** Fraction of `/login` calls answered with `serverErrorStatus`. */
  loginServerErrorRate: number;
  /** Fraction of 200 /v3 data answers (those with a `meta`) that carry one `meta.warnings` entry. */
  warningRate: number;
  /**
   * How long after its period starts a point appears in `/v3/historical`. WattTime's publication
   * delay ranges from about a minute to hours; 0 publishes at once.
   */
  publicationDelaySeconds: number;
  /**
   * A stuck feed: `/v3/forecast` and `/v3/signal-index` keep answering for the period that was
   * current when this was switched on, as a feed that silently stopped moving does.
   */
  stuckFeed: boolean;
  /**
   * Added to every `/v3/historical` value, in the signal's units: WattTime's final values revised
   * from the live estimate (the forecast's first point).
   */
  historicalRevision: number;
  /** `imputed_data_used` of every `/v3/historical` point, when the client asks for the marker. */
  historicalImputed: boolean;
  /** When not empty, the `meta.units` of every signal answer (not the index) instead of the documented one. */
  unitsOverride: string;
}

export const DEFAULT_FAULTS: Readonly<FaultSettings> = {
  serverErrorRate: 0,
  serverErrorStatus: 503,
  forbiddenRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 5,
  malformedRate: 0,
  latencyMs: 0,
  loginServerErrorRate: 0,
  warningRate: 0,
  publicationDelaySeconds: 0,
  stuckFeed: false,
  historicalRevision: 0,
  historicalImputed: false,
  unitsOverride: '',
};

const rate = z.number().min(0).max(1);

/** Validates a partial update; unknown keys are refused so a typo does not silently do nothing. */
export const faultSettingsSchema = z
  .object({
    serverErrorRate: rate,
    serverErrorStatus: z.int().min(500).max(599),
    forbiddenRate: rate,
    rateLimitRate: rate,
    retryAfterSeconds: z.int().min(0).max(86_400),
    malformedRate: rate,
    latencyMs: z.int().min(0).max(600_000),
    loginServerErrorRate: rate,
    warningRate: rate,
    publicationDelaySeconds: z.int().min(0).max(7 * 86_400),
    stuckFeed: z.boolean(),
    historicalRevision: z.number().min(-10_000).max(10_000),
    historicalImputed: z.boolean(),
    unitsOverride: z.string().max(100),
  })
  .partial()
  .strict();

/** Fires on `rate` of its calls, evenly spread, the first call included when rate > 0. */
class EvenSchedule {
  private calls = 0;

  constructor(private readonly rate: number) {}

  fire(): boolean {
    this.calls += 1;
    // The epsilon keeps rates like 0.1 from drifting through floating-point error.
    return Math.ceil(this.calls * this.rate - 1e-9) > Math.ceil((this.calls - 1) * this.rate - 1e-9);
  }
}

function serverErrorReply(status: number): Reply {
  // Transient trouble usually comes from a proxy or load balancer: HTML, not the API's JSON.
  const body = `<html><head><title>${status}</title></head><body><h1>${status} Service Error</h1></body></html>`;
  return { status, contentType: 'text/html; charset=utf-8', body };
}

/** A CDN's refusal: HTML with an inline script and style, which a message must not quote. */
export const FORBIDDEN_BY_PROXY: Reply = {
  status: 403,
  contentType: 'text/html; charset=utf-8',
  body:
    '<!DOCTYPE html><html><head><title>403 Forbidden</title><style>body{font-family:sans-serif}</style>' +
    '<script>window.ray="8f1c2a"</script></head><body><h1>Access denied</h1>' +
    '<p>Request blocked by the edge firewall. Ray ID: 8f1c2a</p></body></html>',
};

// Alternates between the two ways a 200 can be unusable: a body cut short (not JSON at all)
// and valid JSON of the wrong shape. The first malformed answer is always the cut-short one.
const MALFORMED_REPLIES: readonly Reply[] = [
  { status: 200, contentType: 'application/json', body: '{"data":[{"point_time":"2024-06-18T18:40:00+00:' },
  { status: 200, contentType: 'application/json', body: '{"unexpected":"shape","items":null}' },
];

/** What WattTime says when a value rests on imputed data, as the injected warning. */
export const INJECTED_WARNING = {
  type: 'imputed_data',
  message: 'Some underlying grid data for this period was imputed (warning injected by the emulator)',
} as const;

export class FaultInjector {
  private current: FaultSettings = { ...DEFAULT_FAULTS };
  /** When the feed got stuck (emulator clock), while `stuckFeed` is on. */
  private stuckAtMs: number | undefined;
  private serverErrors = new EvenSchedule(0);
  private forbidden = new EvenSchedule(0);
  private rateLimits = new EvenSchedule(0);
  private malformed = new EvenSchedule(0);
  private loginServerErrors = new EvenSchedule(0);
  private warnings = new EvenSchedule(0);
  private malformedCount = 0;

  settings(): FaultSettings {
    return { ...this.current };
  }

  constructor(private readonly now: () => number) {}

  /** Merges a partial update (validated: throws on bad values) and restarts the schedules. */
  set(update: Partial<FaultSettings>): FaultSettings {
    const changes = Object.entries(faultSettingsSchema.parse(update)).filter(([, value]) => value !== undefined);
    this.current = { ...this.current, ...Object.fromEntries(changes) };
    if (!this.current.stuckFeed) this.stuckAtMs = undefined;
    else this.stuckAtMs ??= this.now();
    this.serverErrors = new EvenSchedule(this.current.serverErrorRate);
    this.forbidden = new EvenSchedule(this.current.forbiddenRate);
    this.rateLimits = new EvenSchedule(this.current.rateLimitRate);
    this.malformed = new EvenSchedule(this.current.malformedRate);
    this.loginServerErrors = new EvenSchedule(this.current.loginServerErrorRate);
    this.warnings = new EvenSchedule(this.current.warningRate);
    this.malformedCount = 0;
    return this.settings();
  }

  reset(): void {
    this.current = { ...DEFAULT_FAULTS };
    this.set({});
  }

  latencyMs(): number {
    return this.current.latencyMs;
  }

  /** The time the live feed answers for: `nowMs`, or when it got stuck. */
  feedTimeMs(nowMs: number): number {
    return this.stuckAtMs ?? nowMs;
  }

  /** A fault reply that replaces a /v3 call before it is even authenticated, if one is due. */
  beforeDataCall(): Reply | undefined {
    if (this.serverErrors.fire()) return serverErrorReply(this.current.serverErrorStatus);
    if (this.forbidden.fire()) return FORBIDDEN_BY_PROXY;
    if (this.rateLimits.fire()) return rateLimitedReply(this.current.retryAfterSeconds);
    return undefined;
  }

  /** A malformed replacement for a successful /v3 answer, if one is due. */
  malformedAnswer(): Reply | undefined {
    if (!this.malformed.fire()) return undefined;
    const reply = MALFORMED_REPLIES[this.malformedCount % MALFORMED_REPLIES.length];
    this.malformedCount += 1;
    return reply;
  }

  /**
   * A successful data answer with a warning added to its `meta.warnings`, if one is due. Answers
   * without a `meta` (`/v3/my-access`, `/v3/region-from-loc`) pass unchanged and are not counted.
   */
  withWarning(reply: Reply): Reply {
    const body: unknown = JSON.parse(reply.body);
    if (typeof body !== 'object' || body === null || !('meta' in body)) return reply;
    const meta = body.meta as { warnings?: unknown[] };
    if (!Array.isArray(meta.warnings) || !this.warnings.fire()) return reply;
    meta.warnings.push(INJECTED_WARNING);
    return { ...reply, body: JSON.stringify(body) };
  }

  beforeLogin(): Reply | undefined {
    return this.loginServerErrors.fire() ? serverErrorReply(this.current.serverErrorStatus) : undefined;
  }
}
