/**
 * Each region's stable place in the fetch window: at the 300 s default every region's slot is the
 * same aligned instant, so a worker with thousands of regions would take them all in one burst.
 * Pure arithmetic on the workflow id, so the offset is the same in every run and in replay.
 */
import { regionWorkflowId } from './ids';

/**
 * FNV-1a over the UTF-16 code units of `text`, then MurmurHash3's 32-bit finaliser so ids that
 * differ in their last character (`REGION_1`, `REGION_2`) land far apart. An unsigned 32-bit
 * integer; `Math.imul` keeps the arithmetic exact in plain JavaScript (no Node built-ins).
 */
export function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/**
 * How long after the publication offset this region's aligned fetches start, in milliseconds:
 * a whole number of seconds from 0 to `windowSeconds − 1`, derived from the region workflow id
 * (`regionWorkflowId(region, signalType)`), so it never changes for a region and regions spread
 * evenly over the window. A window of 0 gives 0 (every region at the publication offset).
 */
export function fetchOffsetMs(region: string, signalType: string, windowSeconds: number): number {
  if (windowSeconds <= 0) return 0;
  return (hash32(regionWorkflowId(region, signalType)) % windowSeconds) * 1000;
}
