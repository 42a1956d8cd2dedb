/**
 * `node --import tsx bench/cpu-profile-summary.ts <file.cpuprofile> [--from <s>] [--to <s>] [--top <n>]`:
 * where a process's CPU went, from a V8 CPU profile (`node --cpu-prof`, e.g. the scale bench's
 * worker run with `--worker-env "NODE_OPTIONS=--cpu-prof --cpu-prof-dir=<dir>"`). Prints a
 * timeline of busy samples per second (to find the burst), then, within `--from`..`--to` seconds
 * of the profile's start: self time by area (see `areaOf`), self time by function, and inclusive
 * time of the functions that frame the work (activity calls, workflow activations).
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';

/** The parts of a `.cpuprofile` this reads (Chrome DevTools' format). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds, monotonic. */
  startTime: number;
  endTime: number;
  /** A node id per sample, and the microseconds before each. */
  samples: number[];
  timeDeltas: number[];
}

/** Rules first match wins: what a sampled frame (its url or name) is spent on. */
const AREAS: readonly (readonly [string, RegExp])[] = [
  ['GC', /^\(garbage collector\)$/],
  ['V8/native outside JS (program)', /^\(program\)$/],
  ['workflow bundle (SDK and workflows/)', /workflow-bundle|@temporalio\/workflow\//],
  ['SDK worker: workflow threads / vm', /@temporalio\/worker\/lib\/workflow\//],
  ['SDK: protobuf (proto, protobufjs, long)', /@temporalio\/proto|protobufjs|\/long\//],
  ['SDK: payload conversion (common)', /@temporalio\/common/],
  ['SDK worker: activities, worker loop', /@temporalio\/worker/],
  ['SDK: core bridge', /@temporalio\/core-bridge/],
  ['rxjs (SDK worker pipelines)', /rxjs/],
  ['zod validation', /\/zod\//],
  ['InfluxDB client', /@influxdata/],
  ['activities/ (line protocol, conversion)', /\/activities\//],
  ['watttime/ (client, session, parse)', /\/watttime\//],
  ['HTTP (undici, node:http, net)', /undici|node:internal\/(deps\/undici|http|net|stream|dns)|node:(http|net|_http)/],
  ['logging (pino)', /pino|sonic-boom|thread-stream/],
  ['tsx/esbuild loader', /tsx|esbuild/],
  ['webpack (bundling)', /webpack|swc|terser|acorn|enhanced-resolve/],
  ['other node_modules', /node_modules/],
  ['node internals', /^node:|^internal\//],
  ['project code', /\.ts$/],
];

const UNKNOWN_AREA = 'builtins / unattributed';

/** The area a frame counts in. */
export function areaOf(frame: { functionName: string; url: string }): string {
  const key = frame.url === '' ? frame.functionName : frame.url;
  for (const [area, pattern] of AREAS) if (pattern.test(key)) return area;
  return UNKNOWN_AREA;
}

/** Frames whose inclusive time frames the work: activity bodies and workflow activations. */
const FRAMING = /^(fetchAndStore|ensureToken|storeHeld|backfill|activate|concludeActivation|runActivation|activateWorkflow|completeActivation|setCurrentDetails|upsertSearchAttributes|statusLine|regionHealth|parse|stringify|toPayload|fromPayload|encode|decode|writeReadings|writeForecast|forecastCurve|readingsOf|fetchCurrent)$/;

export interface ProfileSummary {
  /** Non-idle milliseconds per whole second of the profile. */
  timeline: number[];
  /** Milliseconds sampled in the window, idle excluded. */
  busyMs: number;
  byArea: [string, number][];
  byFunction: [string, number][];
  inclusive: [string, number][];
}

/** Sums a profile's samples between `fromS` and `toS` seconds after its start. */
export function summarize(profile: CpuProfile, fromS = 0, toS = Infinity): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const timeline: number[] = [];
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number): void => void map.set(key, (map.get(key) ?? 0) + ms);
  let atUs = profile.startTime;
  let busyMs = 0;
  profile.samples.forEach((id, i) => {
    const deltaUs = profile.timeDeltas[i] ?? 0;
    atUs += deltaUs;
    const node = byId.get(id);
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    const ms = Math.max(0, deltaUs) / 1000;
    const second = Math.floor((atUs - profile.startTime) / 1e6);
    timeline[second] = (timeline[second] ?? 0) + ms;
    if (second < fromS || second >= toS) return;
    busyMs += ms;
    const frame = node.callFrame;
    add(byArea, areaOf(frame), ms);
    const file = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(?=[^/]+\/[^/]+$)/, '');
    add(byFunction, `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`, ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)?.callFrame.functionName ?? '';
      if (FRAMING.test(name) && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, ms);
      }
    }
  });
  const sorted = (map: Map<string, number>): [string, number][] => [...map].sort((a, b) => b[1] - a[1]);
  return { timeline: Array.from(timeline, (ms) => ms ?? 0), busyMs, byArea: sorted(byArea), byFunction: sorted(byFunction), inclusive: sorted(inclusive) };
}

function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError('expected seconds from the profile start, e.g. 62');
  return value;
}

function report(summary: ProfileSummary, top: number): string {
  const pct = (ms: number): string => `${((100 * ms) / Math.max(1, summary.busyMs)).toFixed(1).padStart(5)} %`;
  const rows = (entries: [string, number][]): string[] => entries.slice(0, top).map(([name, ms]) => `  ${ms.toFixed(0).padStart(7)} ms ${pct(ms)}  ${name}`);
  const busy = summary.timeline.map((ms, s) => (ms >= 20 ? `${s}s:${ms.toFixed(0)}` : '')).filter(Boolean);
  return [
    `busy ms per second (seconds with ≥ 20 ms): ${busy.join(' ')}`,
    `window: ${summary.busyMs.toFixed(0)} ms busy (idle excluded)`,
    'self time by area:',
    ...rows(summary.byArea),
    'self time by function:',
    ...rows(summary.byFunction),
    'inclusive time of framing functions:',
    ...rows(summary.inclusive),
  ].join('\n');
}

if (process.argv[1]?.endsWith('cpu-profile-summary.ts')) {
  new Command('cpu-profile-summary')
    .argument('<file>', 'a .cpuprofile written by node --cpu-prof')
    .option('--from <s>', 'window start, seconds after the profile start', seconds, 0)
    .option('--to <s>', 'window end, seconds after the profile start', seconds, Infinity)
    .option('--top <n>', 'rows per list', (text) => Number(text), 25)
    .action((file: string, options: { from: number; to: number; top: number }) => {
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      process.stdout.write(`${report(summarize(profile, options.from, options.to), options.top)}\n`);
    })
    .parse();
}
