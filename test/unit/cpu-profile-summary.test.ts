import { describe, expect, it } from 'vitest';
import { areaOf, summarize, type CpuProfile } from '../../bench/cpu-profile-summary';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0 });

/**
 * root → activate (SDK worker thread code) → regionWorkflow (bundle) ; root → fetchAndStore
 * (activities/) → toLineProtocol (InfluxDB client) ; root → (garbage collector) ; root → (idle).
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4, 6, 7] },
    { id: 2, callFrame: frame('activate', 'file:///app/node_modules/@temporalio/worker/lib/workflow/vm-shared.js'), children: [3] },
    { id: 3, callFrame: frame('regionWorkflow', 'file:///app/workflow-bundle-1a2b.js') },
    { id: 4, callFrame: frame('fetchAndStore', 'file:///app/activities/factory.ts'), children: [5] },
    { id: 5, callFrame: frame('toLineProtocol', 'file:///app/node_modules/@influxdata/influxdb-client/dist/index.js') },
    { id: 6, callFrame: frame('(garbage collector)') },
    { id: 7, callFrame: frame('(idle)') },
  ],
  startTime: 0,
  endTime: 3_000_000,
  // 1 ms per sample: second 0 busy in the workflow, second 1 idle, second 2 activity work and GC.
  samples: [3, 3, 2, 7, 7, 5, 5, 5, 4, 6],
  timeDeltas: [1000, 1000, 1000, 999_000, 1_000_000, 1000, 1000, 1000, 1000, 1000],
};

describe('the CPU profile summary (bench/cpu-profile-summary.ts)', () => {
  it('puts frames in their areas by file', () => {
    expect(areaOf(frame('regionWorkflow', 'file:///app/workflow-bundle-1a2b.js'))).toBe('workflow bundle (SDK and workflows/)');
    expect(areaOf(frame('toLineProtocol', '/app/node_modules/@influxdata/influxdb-client/dist/index.js'))).toBe('InfluxDB client');
    expect(areaOf(frame('(garbage collector)'))).toBe('GC');
    expect(areaOf(frame('parse', 'file:///app/node_modules/zod/v4/core/schemas.cjs'))).toBe('zod validation');
  });

  it('sums busy self time by area and function, leaving idle out, with a per-second timeline', () => {
    const summary = summarize(profile);
    expect(summary.busyMs).toBe(8);
    expect(summary.timeline).toEqual([3, 0, 5]);
    expect(summary.byArea).toEqual([
      ['InfluxDB client', 3],
      ['workflow bundle (SDK and workflows/)', 2],
      ['SDK worker: workflow threads / vm', 1],
      ['activities/ (line protocol, conversion)', 1],
      ['GC', 1],
    ]);
    expect(summary.inclusive).toEqual([
      ['fetchAndStore', 4],
      ['activate', 3],
    ]);
  });

  it('keeps to the window given in seconds from the start', () => {
    const summary = summarize(profile, 2, 3);
    expect(summary.busyMs).toBe(5);
    expect(summary.byArea.map(([area]) => area)).toEqual(['InfluxDB client', 'activities/ (line protocol, conversion)', 'GC']);
  });
});
