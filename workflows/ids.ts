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

/** The region and signal type of a region workflow id; null when `workflowId` is not one. */
export function parseRegionWorkflowId(workflowId: string): { region: string; signalType: string } | null {
  const match = /^carbon-intensity:([^:]+)(?::([^:]+))?$/.exec(workflowId);
  if (match === null || match[1] === undefined) return null;
  return { region: match[1], signalType: match[2] ?? DEFAULT_SIGNAL_TYPE };
}
