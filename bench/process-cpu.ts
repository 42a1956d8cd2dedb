/**
 * CPU time and memory of a process from Linux's `/proc`, for the scale bench: `utime + stime` of
 * the process and of every live descendant (a wrapper such as a CLI that runs the server in a
 * child counts with its child), plus `cutime + cstime` of children already reaped.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second (`getconf CLK_TCK`), 100 on every common Linux. */
const TICKS_PER_SECOND = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface StatFields {
  ppid: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  ticks: number;
}

/** Fields of `/proc/<pid>/stat`, or undefined once the process is gone. */
function readStat(pid: number): StatFields | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17), 1-based.
  const at = (field: number): number => Number(fields[field - 3]);
  return { ppid: at(4), ticks: at(14) + at(15) + at(16) + at(17) };
}

/** Every live process's parent, by process id. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat !== undefined) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  return children;
}

/**
 * CPU milliseconds (user + system) each of `pids` and its descendants have used so far, in the
 * order given; one scan of `/proc` for all of them.
 *
 * @throws Error naming a pid that is not running.
 */
export function cpuMsOf(pids: readonly number[]): number[] {
  const children = childrenByParent();
  return pids.map((pid) => {
    if (readStat(pid) === undefined) throw new Error(`process ${pid} is not running: no CPU time to read`);
    const tree = [pid];
    for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] ?? -1) ?? []));
    const ticks = tree.reduce((sum, each) => sum + (readStat(each)?.ticks ?? 0), 0);
    return (ticks * 1000) / TICKS_PER_SECOND;
  });
}

/** Resident memory of `pid` alone in MiB (`VmRSS`), or undefined once it is gone. */
export function rssMiBOf(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}
