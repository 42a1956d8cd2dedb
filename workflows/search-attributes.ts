/**
 * The custom search attributes region workflows set: the region, so the Web UI can filter by it,
 * and the health status, so `/health` reads every region from one visibility query and the Web
 * UI can list the unhealthy ones (`CarbonStatus = "unhealthy"`). The dev server registers them at
 * start (servers/temporal-dev-server.ts); the worker and `start` register those missing, or stop
 * with the CLI command to run (regions/carbon-region-attribute.ts); production's compose job runs
 * deploy/temporal/register-search-attributes.sh. Without them the server refuses the workflow's
 * upsert and the workflow stalls.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CARBON_REGION = defineSearchAttributeKey('CarbonRegion', SearchAttributeType.KEYWORD);

/** The region's `HealthStatus`: `healthy`, `degraded`, `unhealthy` or `paused`. */
export const CARBON_STATUS = defineSearchAttributeKey('CarbonStatus', SearchAttributeType.KEYWORD);

/** Every custom search attribute, for the servers and jobs that register them. */
export const CARBON_SEARCH_ATTRIBUTES = [CARBON_REGION, CARBON_STATUS] as const;
