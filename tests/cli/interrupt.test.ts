import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cursorRestored, hilbenchOnPty } from '../helpers/pty.ts';

// Ctrl-C typed on a pseudo-terminal during the long commands outside the run loop (`log`:
// tests/logging/ctrl-c.test.ts): the first one ends the work at its next safe point, every file is
// whole and says it is partial, exit 1, and the terminal gets its cursor back. A second Ctrl-C
// leaves at once (130).

const LONG = 600_000;
const tmp = () => mkdtempSync(join(tmpdir(), 'hilbench-ctrl-c-'));

/** The last line a command printed, without escapes and without the terminal's echo of Ctrl-C (^C). */
function lastLine(output: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = output.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]|\^C/g, '');
  return plain.trimEnd().split(/\r?\n/).pop() ?? '';
}

describe('Ctrl-C', () => {
  it('anfis train: stops between epochs, saves the best model so far stated as partial, exit 1, cursor restored', () => {
    const dir = tmp();
    const train = join(dir, 'train.csv');
    const rows = ['x1,x2,y'];
    for (let i = 0; i < 400; i++) rows.push(`${((i * 37) % 400) / 100 - 2},${(i % 20) / 5 - 2},${Math.sin(((i * 37) % 400) / 100 - 2) * ((i % 20) / 5 - 2)}`);
    writeFileSync(train, rows.join('\n') + '\n');
    const out = join(dir, 'm.fis');
    const r = hilbenchOnPty(['anfis', 'train', '--train', train, '--mfs', '3', '--epochs', '1000000', '--out', out], '] RMSE ');
    expect(r.presses).toBe(1);
    expect(r.code, r.output).toBe(1);
    const m = /hilbench: stopped by Ctrl-C after epoch (\d+) of 1000000: .*m\.fis holds the best model of the epochs done \(partial training\)/.exec(lastLine(r.output));
    expect(m, r.output).not.toBeNull();
    const epochs = Number(m![1]);
    expect(epochs).toBeGreaterThanOrEqual(1);
    expect(readFileSync(out, 'utf8')).toMatch(/^\[System\][\s\S]*NumRules=9\n/);
    const curve = readFileSync(join(dir, 'm.curve.csv'), 'utf8');
    expect(curve.endsWith('\n')).toBe(true);
    expect(curve.trimEnd().split('\n')).toHaveLength(epochs + 1);
    expect(r.output).toContain('\x1b[?25l');
    expect(cursorRestored(r.output)).toBe(true);
  }, LONG);

  it('tune: stops between batches, writes every file with status failed and the reason, exit 1, cursor restored', () => {
    const out = join(tmp(), 'tune');
    const r = hilbenchOnPty(['tune', 'maglev', '--budget', '5000', '--workers', '0', '--no-robustness', '--out', out], 'evaluations |');
    expect(r.presses).toBe(1);
    expect(r.code, r.output).toBe(1);
    expect(lastLine(r.output)).toMatch(/^hilbench: stopped by Ctrl-C: tuning ended early; .* with status failed$/);
    const summary = JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'failed', reason: 'stopped by Ctrl-C' });
    expect(summary.evaluations).toBeGreaterThan(0);
    expect(summary.evaluations).toBeLessThan(5000);
    const evaluations = readFileSync(join(out, 'evaluations.csv'), 'utf8');
    expect(evaluations.endsWith('\n')).toBe(true);
    expect(evaluations.trimEnd().split('\n')).toHaveLength(summary.evaluations + 1);
    expect(JSON.parse(readFileSync(join(out, 'tuned.json'), 'utf8')).controller).toBeDefined();
    expect(readFileSync(join(out, 'report.html'), 'utf8').trimEnd()).toMatch(/<\/html>$/);
    expect(r.output).toContain('\x1b[?25l');
    expect(cursorRestored(r.output)).toBe(true);
  }, LONG);

  it('estimator rat: stops between seeds, the figures say over how many, --save complete, exit 1', () => {
    const save = join(tmp(), 'mlp.json');
    const r = hilbenchOnPty(['estimator', 'rat', '--seeds', '500', '--save', save], 'Ctrl-C stops');
    expect(r.code, r.output).toBe(1);
    const m = /^hilbench: stopped by Ctrl-C after (\d+) of 500 seeds/.exec(lastLine(r.output));
    expect(m, r.output).not.toBeNull();
    expect(r.output).toContain(`MLP over seeds 1..${m![1]}:`);
    expect(JSON.parse(readFileSync(save, 'utf8'))).toBeTypeOf('object');
    expect(cursorRestored(r.output)).toBe(true);
  }, LONG);

  it('a second Ctrl-C exits at once with 130', () => {
    const r = hilbenchOnPty(['estimator', 'rat', '--seeds', '500'], 'Ctrl-C stops', 2);
    expect(r.presses).toBe(2);
    expect(r.code, r.output).toBe(130);
    expect(lastLine(r.output)).toMatch(/^hilbench: SIGINT again: stopped at once/);
  }, LONG);
});
