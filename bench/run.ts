/**
 * `npm run bench -- run`: peak resident memory of `hilbench run maglev` at several simulated
 * durations (default 60 s, 1 h, 24 h), printed side by side with the ratio of the longest to the
 * shortest (target ≤ 1.2: memory flat whatever the duration).
 *
 * The child's peak RSS is VmHWM from /proc/<pid>/status, polled (Linux only; no extra package).
 * A child whose RSS passes a cap (default 4 GiB) is killed and reported as "> cap", so a build that
 * keeps every row cannot exhaust a shared machine. The record goes to a fresh tmp directory, deleted
 * after each run (24 h of maglev at 1 kHz is about 16 GB of run.csv: choose a tmpdir with space).
 *
 * Environment: BENCH_RUN_DURATIONS="60,3600,86400" (seconds), BENCH_RUN_RSS_CAP_MB=4096,
 * TMPDIR for where the record goes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const POLL_MS = 50;

interface Figures {
  readonly duration_s: number;
  readonly peakRss_MB: number;
  readonly wall_s: number;
  readonly csv_MB: number;
  /** Killed at the cap, or exited non-zero: the peak is then a lower bound. */
  readonly note?: string;
}

function vmHwmKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the child has exited between two polls
  }
}

function vmRssKb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function measure(duration_s: number, capKb: number): Promise<Figures> {
  const out = mkdtempSync(join(tmpdir(), 'hilbench-bench-run-'));
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/hilbench.js'), 'run', 'maglev', '--duration', String(duration_s), '--out', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  let peakKb = 0;
  let killed = false;
  const poll = setInterval(() => {
    const hwm = vmHwmKb(child.pid!);
    if (hwm !== undefined && hwm > peakKb) peakKb = hwm;
    const rss = vmRssKb(child.pid!);
    if (rss !== undefined && rss > capKb && !killed) {
      killed = true;
      child.kill('SIGKILL');
    }
  }, POLL_MS);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(poll);
  const wall_s = (performance.now() - started) / 1000;
  let csv_MB = NaN;
  try {
    csv_MB = statSync(join(out, 'run.csv')).size / 1e6;
  } catch {
    // no run.csv: reported as NaN
  }
  rmSync(out, { recursive: true, force: true });
  const note = killed
    ? `killed at the ${Math.round(capKb / 1024)} MB cap after ${wall_s.toFixed(0)} s: the peak is a lower bound`
    : code !== 0
      ? `exit ${code}: ${stderr.trim().split('\n').pop() ?? ''}`
      : undefined;
  return { duration_s, peakRss_MB: peakKb / 1024, wall_s, csv_MB, note };
}

function label(s: number): string {
  return s % 3600 === 0 ? `${s / 3600} h` : s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

export async function benchRun(): Promise<void> {
  const durations = (process.env.BENCH_RUN_DURATIONS ?? '60,3600,86400').split(',').map(Number);
  if (durations.some((d) => !(d > 0))) throw new Error(`BENCH_RUN_DURATIONS: positive seconds separated by commas (got '${process.env.BENCH_RUN_DURATIONS}')`);
  const capKb = Number(process.env.BENCH_RUN_RSS_CAP_MB ?? 4096) * 1024;
  console.log(`peak RSS of 'hilbench run maglev --duration D' (VmHWM polled every ${POLL_MS} ms; record in ${tmpdir()}, deleted after):`);
  const figures: Figures[] = [];
  for (const d of durations) {
    const f = await measure(d, capKb);
    figures.push(f);
    console.log(
      `  ${label(d).padStart(7)}: peak RSS ${f.peakRss_MB.toFixed(0).padStart(6)} MB, wall ${f.wall_s.toFixed(1).padStart(7)} s, run.csv ${f.csv_MB.toFixed(1)} MB${f.note ? ` (${f.note})` : ''}`,
    );
  }
  const first = figures[0];
  const last = figures[figures.length - 1];
  if (figures.length > 1) {
    const ratio = last.peakRss_MB / first.peakRss_MB;
    console.log(`  ratio ${label(last.duration_s)} / ${label(first.duration_s)}: ${ratio.toFixed(2)} (target ≤ 1.2)${last.note ? ' — a lower bound' : ''}`);
  }
}
