import { readdirSync, readFileSync } from 'node:fs';

/**
 * Linux /proc readings of processes the bench started: CPU ticks of a whole process tree (a
 * long-lived target, read before and after each run, so never racing an exit) and the RSS of one
 * process. Every reader returns undefined instead of throwing when a process is gone.
 */

function readStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function childrenByParent() {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(name);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(name));
    children.set(stat.ppid, list);
  }
  return children;
}

/** The pids of a process and all its descendants. */
export function processTree(rootPid) {
  const children = childrenByParent();
  const tree = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop();
    tree.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** The deepest descendant (through first children): the real program under taskset, time, timeout. */
export function leafProcess(rootPid) {
  const children = childrenByParent();
  let pid = rootPid;
  for (let next = children.get(pid)?.[0]; next !== undefined; next = children.get(pid)?.[0]) pid = next;
  return pid;
}

/** User + system CPU ticks of a process and its live descendants. */
export function treeCpuTicks(rootPid) {
  let ticks = 0;
  for (const pid of processTree(rootPid)) {
    const stat = readStat(pid);
    if (stat) ticks += stat.utime + stat.stime;
  }
  return ticks;
}

/** Current and peak resident set size of one process, in bytes. */
export function residentBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    const rss = kb('VmRSS');
    return Number.isFinite(rss) ? { rss, peak: kb('VmHWM') } : undefined;
  } catch {
    return undefined;
  }
}

/** CPU ticks all cores spent busy (not idle, not waiting for I/O) since boot, from /proc/stat. */
export function systemBusyTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return user + nice + system + irq + softirq + steal;
  } catch {
    return undefined;
  }
}
