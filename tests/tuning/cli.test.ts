import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/fopdt.json', import.meta.url));
const hilbench = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/hilbench.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('hilbench tune: user errors exit 1 with a one-line message naming the problem', () => {
  const cases: [string[], RegExp][] = [
    [['--params', 'kp=5:1'], /'kp': lower bound 5 must be below upper bound 1/],
    [['--params', 'kp=1:2,ki=a:b'], /'ki': bounds must be finite numbers/],
    [['--params', 'gain=1:2'], /unknown parameter 'gain'/],
    [['--objective', 'itea'], /unknown metric 'itea'/],
    [['--constraint', 'overshot<5'], /unknown metric 'overshot'/],
    [['--constraint', 'overshoot<<5'], /--constraint 'overshoot<<5'/],
    [['--method', 'simplex'], /--method 'simplex': unknown/],
  ];
  const args = (extra: string[]) => ['tune', 'maglev', '--budget', '4', '--workers', '0', '--no-robustness', '--out', mkdtempSync(join(tmpdir(), 'hilbench-tune-')), ...extra];
  // One through the real executable (exit code, no stack trace), all through main() in-process.
  for (const [extra, message] of [cases[0]]) {
    it(`process: ${extra.join(' ')}`, () => {
      const r = hilbench(...args(extra));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
  for (const [extra, message] of cases) {
    it(`main(): ${extra.join(' ')}`, async () => {
      let err = '';
      const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
        err += String(chunk);
        return true;
      });
      try {
        expect(await main(['node', 'hilbench', ...args(extra)])).toBe(1);
      } finally {
        spy.mockRestore();
      }
      expect(err).toMatch(message);
      expect(err.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('hilbench tune: outputs', () => {
  it('a small random search on two workers writes tuned.json, evaluations.csv, tune.json, robustness.json and report.html', () => {
    const out = mkdtempSync(join(tmpdir(), 'hilbench-tune-'));
    const r = hilbench('tune', 'maglev', '--method', 'random', '--budget', '16', '--workers', '2', '--samples', '2', '--constraint', 'overshoot<5', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const f of ['tuned.json', 'evaluations.csv', 'tune.json', 'robustness.json', 'report.html']) expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'evaluations.csv'), 'utf8').trim().split('\n')).toHaveLength(17);
    const summary = JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8'));
    const tuned = loadScenario(join(out, 'tuned.json')).scenario.controller as Record<string, number>;
    expect(tuned.kp).toBe(summary.params[0].tuned);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Search history');
    expect(html).toContain('tuned: x_m');
    expect(html).toContain('Robustness of the tuned controller');
  });

  it('the relay method on the FOPDT fixture reports Ku and Pu within 5 % of the analytic values', () => {
    const out = mkdtempSync(join(tmpdir(), 'hilbench-tune-'));
    // r = 1, K = 2: the operating-point command is 0.5.
    const r = hilbench('tune', fixture, '--method', 'relay', '--relay-amplitude', '1', '--relay-bias', '0.5', '--duration', '12', '--no-robustness', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8'));
    expect(Math.abs(s.estimate.Ku / 2.945082619 - 1)).toBeLessThan(0.05);
    expect(Math.abs(s.estimate.Pu_s / 1.08243863 - 1)).toBeLessThan(0.05);
    expect(s.estimate.K).toBeCloseTo(2, 2);
    expect(s.applied).toBe('amigo-pid');
    expect(existsSync(join(out, 'relay.csv'))).toBe(true);
    const tuned = loadScenario(join(out, 'tuned.json')).scenario.controller as Record<string, number>;
    expect(tuned.kp).toBe(s.rules.find((x: { id: string }) => x.id === 'amigo-pid').gains.kp);
  });
});
