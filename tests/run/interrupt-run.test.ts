import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cursorRestored, hilbenchOnPty } from '../helpers/pty.ts';

// `hilbench run` on a pseudo-terminal, interrupted by a Ctrl-C typed into it once the progress bar
// shows (the run has then taken 2 s): the terminal driver turns the byte 0x03 into SIGINT for the
// foreground process, as for a user.
describe('Ctrl-C during a plain run', () => {
  it('stops at the next tick: exit 1, one line, run.csv ends on a whole row, metrics.json and the report written with status failed, cursor shown again', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hilbench-int-')), 'run');
    const r = hilbenchOnPty(['run', 'maglev', '--duration', '100000', '--out', out], 'run [');
    expect(r.presses).toBe(1);
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(/hilbench: stopped by Ctrl-C; run stopped at t = [\d.]+ s, \d+ samples kept in /);
    // The progress bar hid the cursor; it is shown again.
    expect(r.output).toContain('\x1b[?25l');
    expect(cursorRestored(r.output)).toBe(true);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.error).toMatch(/^stopped by Ctrl-C/);
    const csv = readFileSync(join(out, 'run.csv'), 'utf8');
    expect(csv.endsWith('\n')).toBe(true);
    const lines = csv.trimEnd().split('\n');
    expect(metrics.samples).toBeGreaterThan(1000);
    expect(lines.length - 1).toBe(metrics.samples);
    const width = lines[0].split(',').length;
    for (const l of lines.slice(-3)) expect(l.split(',').length).toBe(width);
    expect(metrics.duration_s).toBeLessThan(100000);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }, 180_000);
});
