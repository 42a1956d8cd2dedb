/** The worker's `workflowsPath`: every workflow this project runs. */
export { regionWorkflow } from './region-workflow';
export type { RegionWorkflowInput } from './input';
export type { HealthStatus, RegionHealth } from './health';
export { carbonAwareStartWorkflow } from './carbon-aware-start';
export type { CarbonAwareStartInput } from './carbon-aware-start';
