/**
 * CPU time of the processes a benchmark runs on this machine, from /proc (Linux): each process by
 * pid, and every process of a service by command name (postgres backends, redis-server, nginx
 * workers). Shared servers count other users' work too: the figures say what the machine did.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

function cpuSecondsOf(pid: number): { comm: string; seconds: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // Fields after the command: state(0) … utime(11) stime(12) cutime(13) cstime(14).
    return { comm, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/** CPU seconds per named group: `pids` by name, plus every process whose command starts with one of `services`. */
export function cpuSnapshot(pids: Record<string, number>, services: readonly string[]): Map<string, number> {
  const snapshot = new Map<string, number>();
  for (const [name, pid] of Object.entries(pids)) snapshot.set(name, cpuSecondsOf(pid)?.seconds ?? 0);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const found = cpuSecondsOf(Number(entry));
    const service = found && services.find((name) => found.comm.startsWith(name));
    if (service) snapshot.set(service, (snapshot.get(service) ?? 0) + found!.seconds);
  }
  return snapshot;
}

/** CPU seconds each group used between two snapshots. */
export function cpuUsedBetween(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  return [...after].map(([name, seconds]) => [name, Math.max(0, seconds - (before.get(name) ?? 0))]);
}
