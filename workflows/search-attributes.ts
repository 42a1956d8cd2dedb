/**
 * The custom search attribute region workflows set, so the Web UI can filter by region. The dev
 * server registers it at start (servers/temporal-dev-server.ts); the worker and `start` register
 * it where it is missing, or stop with the CLI command to run (regions/carbon-region-attribute.ts).
 * Without it the server refuses the workflow's upsert and the workflow stalls.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CARBON_REGION = defineSearchAttributeKey('CarbonRegion', SearchAttributeType.KEYWORD);
