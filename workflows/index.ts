/** The worker's `workflowsPath`: every workflow this project runs. */
export { regionWorkflow } from './region-workflow';
export type { RegionWorkflowInput } from './input';
export type { HealthStatus, RegionHealth } from './health';
