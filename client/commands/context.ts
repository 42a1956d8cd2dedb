import type { Client } from '@temporalio/client';
import type { ClientSettings } from '../../config/settings';

/** What every command gets: a connected Temporal client, the settings, and where to print. */
export interface CommandContext {
  readonly client: Client;
  readonly settings: ClientSettings;
  readonly out: (line: string) => void;
}

/** A command's exit status: 0 when it did what was asked. */
export type ExitCode = 0 | 1;
