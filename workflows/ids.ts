/**
 * Names shared by the workflow, the worker and the client. Free of imports and side effects, so
 * client code can use it without pulling in the workflow runtime.
 */

/** The task queue every region workflow runs on (the worker's `TEMPORAL_TASK_QUEUE` default). */
export const REGION_TASK_QUEUE = 'carbon-intensity';

/** WattTime's marginal signal, the one the service exists for. */
export const DEFAULT_SIGNAL_TYPE = 'co2_moer';

/**
 * `carbon-intensity:<REGION>` for the default signal type, `carbon-intensity:<REGION>:<signal>`
 * otherwise: one workflow per region and signal type, and starting a region twice is refused by
 * Temporal's id uniqueness instead of running two loops.
 */
export function regionWorkflowId(region: string, signalType: string = DEFAULT_SIGNAL_TYPE): string {
  return signalType === DEFAULT_SIGNAL_TYPE ? `carbon-intensity:${region}` : `carbon-intensity:${region}:${signalType}`;
}
