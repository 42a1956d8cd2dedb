/**
 * A fetch under way, as health reports it, so health is right when read at any moment — also
 * while one fetch waits on retries. The workflow knows when the fetch started; readers
 * (`regions/`) add what Temporal knows of the activity running now.
 */

/** A failure as Temporal recorded it for an attempt: type and message only. */
export interface AttemptFailure {
  readonly type: string;
  readonly message: string;
}

export interface FetchInProgress {
  /** ISO-8601 workflow time the fetch (token refresh, fetch, retry after a 401) started. */
  readonly since: string;
  /** The activity running now, e.g. `fetchAndStore`. Added by readers; absent in the query's answer. */
  readonly activity?: string;
  /** Its attempt, 1 for the first. Added by readers. */
  readonly attempt?: number;
  /** Why the previous attempt failed; null on the first. Added by readers. */
  readonly lastFailure?: AttemptFailure | null;
  /** ISO-8601, when a retry waits for its backoff (or `Retry-After`). Added by readers. */
  readonly nextAttemptAt?: string | null;
}
