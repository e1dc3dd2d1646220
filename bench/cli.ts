import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/hilbench.js');

/** CPU seconds (user + system) of one child process, from its resource usage. */
function cpuSeconds(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { cwd: root, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const [user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return user + sys;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * `npm run bench -- cli`: median CPU seconds of a command's start, against `node -e 0` measured
 * in the same run; the bundle (dist/, built by `npm run build`) and the sources through tsx.
 */
export async function benchCli(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'hilbench-bench-cli-'));
  const n = 5;
  const rows: [string, string[], NodeJS.ProcessEnv?][] = [
    ['node -e 0 (reference)', ['-e', '0']],
    ['hilbench --version', [bin, '--version']],
    ['hilbench run maglev --duration 0.1', [bin, 'run', 'maglev', '--duration', '0.1', '--out', join(out, 'r')]],
    ['hilbench --version (sources, tsx)', [bin, '--version'], { ...process.env, HILBENCH_SOURCES: '1' }],
  ];
  const ref = median(Array.from({ length: n }, () => cpuSeconds(['-e', '0'])));
  for (const [name, args, env] of rows) {
    const s = median(Array.from({ length: n }, () => cpuSeconds(args, env)));
    console.log(`${name.padEnd(40)} median CPU ${s.toFixed(2)} s   (${(s / ref).toFixed(1)}× node -e 0)`);
  }
  rmSync(out, { recursive: true, force: true });
}
