import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.ts';

const bin = fileURLToPath(new URL('../../bin/hilbench.js', import.meta.url));

/**
 * `hilbench run` in a real pseudo-terminal (util-linux `script`), interrupted by a Ctrl-C typed into
 * it: the terminal driver turns the byte 0x03 into SIGINT for the foreground process, as for a user.
 */
function runInPty(args: string[], until: (csvBytes: number) => boolean): Promise<{ code: number; output: string }> {
  const command = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const csv = join(args[args.indexOf('--out') + 1], 'run.csv');
  const poll = setInterval(() => {
    // Wait for recorded rows and for the progress bar (drawn once the run has taken 2 s), then type Ctrl-C.
    if (existsSync(csv) && until(statSync(csv).size) && output.includes('run [')) {
      clearInterval(poll);
      child.stdin.write('\x03');
    }
  }, 100);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code: code ?? -1, output });
    });
  });
}

describe('Ctrl-C during a plain run', () => {
  it('stops at the next tick: exit 1, one line, run.csv ends on a whole row, metrics.json and the report written with status failed, cursor shown again', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-int-')), 'run');
    const r = await runInPty(['run', 'maglev', '--duration', '100000', '--out', out], (bytes) => bytes > 100_000);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/hilbench: stopped by Ctrl-C; run stopped at t = [\d.]+ s, \d+ samples kept in /);
    // The progress bar hid the cursor; it is shown again.
    expect(r.output.lastIndexOf('\x1b[?25h')).toBeGreaterThan(r.output.lastIndexOf('\x1b[?25l'));
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.error).toMatch(/^stopped by Ctrl-C/);
    const csv = readFileSync(join(out, 'run.csv'), 'utf8');
    expect(csv.endsWith('\n')).toBe(true);
    const lines = csv.trimEnd().split('\n');
    expect(lines.length - 1).toBe(metrics.samples);
    const width = lines[0].split(',').length;
    for (const l of lines.slice(-3)) expect(l.split(',').length).toBe(width);
    expect(metrics.duration_s).toBeLessThan(100000);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }, 180_000);
});
