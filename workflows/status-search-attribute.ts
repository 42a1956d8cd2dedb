/** Keeps the `CarbonStatus` search attribute equal to the region's health status. */
import { patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { HealthStatus } from './health';
import { CARBON_STATUS } from './search-attributes';

/**
 * Marks runs that publish their status as a search attribute. Histories recorded before it have
 * no upsert where the status changed; replaying them takes the old path, and the first status
 * change after replay publishes it.
 */
export const STATUS_SEARCH_ATTRIBUTE_PATCH = 'carbon-status-search-attribute';

/**
 * Upserts `CarbonStatus` when `status` differs from the value the workflow holds, so it costs one
 * history event per status change, not one per period.
 */
export function publishStatus(status: HealthStatus): void {
  if (workflowInfo().typedSearchAttributes.get(CARBON_STATUS) === status) return;
  if (!patched(STATUS_SEARCH_ATTRIBUTE_PATCH)) return;
  upsertSearchAttributes([{ key: CARBON_STATUS, value: status }]);
}
