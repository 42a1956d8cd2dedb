import type { Client } from '@temporalio/client';
import type { InfluxCarbonIntensityReader } from '../../activities/influx-reader';
import type { ClientSettings } from '../../config/settings';

/** What every command gets: a connected Temporal client, the settings, and where to print. */
export interface CommandContext {
  readonly client: Client;
  readonly settings: ClientSettings;
  readonly out: (line: string) => void;
}

/** What the commands that read stored readings get; they need no Temporal connection. */
export interface ReadingContext {
  readonly reader: InfluxCarbonIntensityReader;
  /** `INFLUXDB_BUCKET`, for messages. */
  readonly bucket: string;
  readonly out: (line: string) => void;
}

/** A command's exit status: 0 when it did what was asked, 2 when nothing is stored to answer from. */
export type ExitCode = 0 | 1 | 2;
