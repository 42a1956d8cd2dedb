/**
 * Region workflow ids, shared by the workflow, the worker and the client. Free of side effects, so
 * client code can use it without pulling in the workflow runtime.
 */

import { DEFAULT_SIGNAL_TYPE } from '../common/names';

/**
 * `carbon-intensity:<REGION>` for the default signal type, `carbon-intensity:<REGION>:<signal>`
 * otherwise: one workflow per region and signal type, and starting a region twice is refused by
 * Temporal's id uniqueness instead of running two loops.
 */
export function regionWorkflowId(region: string, signalType: string = DEFAULT_SIGNAL_TYPE): string {
  return signalType === DEFAULT_SIGNAL_TYPE ? `carbon-intensity:${region}` : `carbon-intensity:${region}:${signalType}`;
}
