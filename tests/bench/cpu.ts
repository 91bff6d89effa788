import { readFileSync, readdirSync } from 'node:fs';

// Linux clock ticks per second (USER_HZ); 100 on every mainstream kernel build.
const ticksPerSecond = 100;

/**
 * CPU seconds used so far by the hub, this bench process (all threads), the PostgreSQL processes
 * serving the bench database (plus the server's shared background processes, and every backend
 * that has exited, whichever database it served), and the whole machine: the machine is shared,
 * so what nobody of ours used is reported as `others`.
 */
export interface CpuSnapshot {
  at: number;
  hub: number;
  bench: number;
  postgres: number;
  machineBusy: number;
}

/** Where the CPU went between two snapshots, in cores busy on average (1.0 = one core). */
export interface CpuShare {
  hub: number;
  bench: number;
  postgres: number;
  /** The rest of the machine: other processes (other people's tests, builds) and kernel work such as disk I/O. */
  others: number;
}

/** A process's CPU seconds; with `reaped`, those of its children that have exited too. */
function cpuSecondsOf(pid: number | 'self', reaped = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14, stime 15, cutime 16, cstime 17 (1-based over the whole line).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    return (fields[11]! + fields[12]! + (reaped ? fields[13]! + fields[14]! : 0)) / ticksPerSecond;
  } catch {
    return 0;
  }
}

// A backend's title names its database and client: "postgres: 15/main: user db 127.0.0.1(5000) idle".
const backendTitle = /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]|::1\(\d+\)/;

function postgresCpuSeconds(database: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
      // Backends of other databases (other people's tests) are not ours.
      if (backendTitle.test(title) && !title.includes(` ${database} `)) continue;
    } catch {
      continue;
    }
    // Only the postmaster reaps: with its exited children counted, a backend or an autovacuum
    // worker that ends inside a window still counts as PostgreSQL's, not as the rest of the machine.
    total += cpuSecondsOf(Number(entry), true);
  }
  return total;
}

function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / ticksPerSecond;
  } catch {
    return 0;
  }
}

export function cpuSnapshot(hubPid: number, database: string): CpuSnapshot {
  return {
    at: performance.now(),
    hub: cpuSecondsOf(hubPid),
    bench: cpuSecondsOf('self'),
    postgres: postgresCpuSeconds(database),
    machineBusy: machineBusySeconds(),
  };
}

/** Average cores busy between `from` and `to`. */
export function cpuShare(from: CpuSnapshot, to: CpuSnapshot): CpuShare {
  const seconds = (to.at - from.at) / 1000;
  const share = (a: number, b: number) => (seconds > 0 ? Math.max(0, b - a) / seconds : 0);
  const hub = share(from.hub, to.hub);
  const bench = share(from.bench, to.bench);
  const postgres = share(from.postgres, to.postgres);
  return { hub, bench, postgres, others: Math.max(0, share(from.machineBusy, to.machineBusy) - hub - bench - postgres) };
}

export function formatCpu(share: CpuShare | undefined): string {
  if (!share) return 'n/a';
  return `hub ${share.hub.toFixed(2)}, bench ${share.bench.toFixed(2)}, postgres ${share.postgres.toFixed(2)}, rest of machine ${share.others.toFixed(2)} cores`;
}

/**
 * Samples at `fromMs` and `toMs` from now (the measured part of a load run); the getter gives
 * the share between them, or undefined if the run ended before both samples were taken.
 */
export function sampleWindow(sample: () => CpuSnapshot, fromMs: number, toMs: number): () => CpuShare | undefined {
  let from: CpuSnapshot | undefined;
  let to: CpuSnapshot | undefined;
  const a = setTimeout(() => (from = sample()), fromMs);
  const b = setTimeout(() => (to = sample()), toMs);
  return () => {
    clearTimeout(a);
    clearTimeout(b);
    return from && to ? cpuShare(from, to) : undefined;
  };
}
