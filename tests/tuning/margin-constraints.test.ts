import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { marginMetrics } from '../../tuning/margin-metrics.ts';
import { stabilityMargins } from '../../tuning/margins.ts';
import { marginsWarning } from '../../tuning/margins-summary.ts';
import { cost, parseConstraint, type Metrics } from '../../tuning/objective.ts';
import { setsFor } from '../../tuning/param-space.ts';
import { runTuning, type TuneOptions } from '../../tuning/run-tuning.ts';

const fopdt = fileURLToPath(new URL('./fixtures/fopdt.json', import.meta.url));
const base: TuneOptions = { scenario: 'maglev', method: 'cmaes', objective: 'itae', constraints: ['overshoot<5', 'phase_margin_deg>35'], budget: 40, workers: 0, seed: 1 };
/** Margins recomputed from scratch (fresh scenario load and build) through the margins API. */
const marginsAt = (sets: string[]) => stabilityMargins(buildRun(loadScenario('maglev', { set: sets })))!;

describe('margin constraints on the maglev PID', () => {
  it('phase_margin_deg>35 is honoured by the tuned gains (recomputed independently) and changes the answer', async () => {
    const r = await runTuning(base);
    expect(r.best.feasible).toBe(true);
    const m = marginsAt(setsFor(r.specs, r.best.values));
    expect(m.stable).toBe(true);
    expect(m.phaseMargin_deg).toBeGreaterThan(35);
    expect(r.best.metrics.phase_margin_deg).toBe(m.phaseMargin_deg);
    expect(r.best.metrics.overshoot_pct as number).toBeLessThan(5);
    expect(r.best.metrics.itae as number).toBeLessThan(r.baseline.metrics.itae as number);
    // Without it, the same search ends on a loop with less phase margin than that.
    const free = await runTuning({ ...base, constraints: ['overshoot<5'] });
    expect(free.best.metrics.phase_margin_deg).toBeUndefined();
    expect(marginsAt(setsFor(free.specs, free.best.values)).phaseMargin_deg).toBeLessThan(35);
  });

  it('delay_margin_s>0.002 is honoured, and 0 and 2 workers give identical results', async () => {
    const opts = { ...base, constraints: ['delay_margin_s>0.002'], budget: 24 };
    const one = await runTuning(opts);
    const two = await runTuning({ ...opts, workers: 2 });
    expect(two.records.map((x) => [x.values, x.cost, x.metrics.delay_margin_s])).toEqual(one.records.map((x) => [x.values, x.cost, x.metrics.delay_margin_s]));
    const feasible = one.records.filter((x) => x.feasible);
    expect(feasible.length).toBeGreaterThan(0);
    for (const x of feasible) expect(marginsAt(setsFor(one.specs, x.values)).delayMargin_s).toBeGreaterThan(0.002);
    // The infeasible points really are under the limit (or unstable).
    const infeasible = one.records.filter((y) => !y.feasible);
    expect(infeasible.length).toBeGreaterThan(0);
    for (const x of infeasible) {
      const m = marginsAt(setsFor(one.specs, x.values));
      expect(!m.stable || !(m.delayMargin_s > 0.002)).toBe(true);
    }
  });

  it('an unstable linear loop fails every margin constraint; an unbounded margin meets `>`', () => {
    const gains = loadScenario('maglev').scenario.controller as Record<string, number>;
    const up = marginsAt([]).gainMarginUpper;
    const m = marginsAt(['kp', 'ki', 'kd'].map((g) => `controller.${g}=${gains[g] * up * 1.2}`));
    expect(m.stable).toBe(false);
    const metrics: Metrics = { status: 'completed', itae: 1, ...marginMetrics(m, 1e-3) };
    expect(metrics.phase_margin_deg).toBeNull();
    for (const c of ['phase_margin_deg>0', 'delay_margin_s>0', 'gain_margin_up_db>0', 'gain_margin_down_db>0']) {
      expect(cost({ key: 'itae', constraints: [parseConstraint(c)] }, metrics, 1).feasible).toBe(false);
    }
    const unbounded = { status: 'completed', itae: 1, gain_margin_down_db: Infinity };
    expect(cost({ key: 'itae', constraints: [parseConstraint('gain_margin_down_db>6')] }, unbounded, 1)).toEqual({ cost: 1, feasible: true });
    expect(cost({ key: 'itae', constraints: [parseConstraint('gain_margin_down_db<6')] }, unbounded, 1).feasible).toBe(false);
  });

  it('the summary warns for a loop with less than one sample of delay margin, not for the default loop', () => {
    // The ITAE-optimal gains of the documented run (docs/tuning.md): 17.5° and 0.51 ms.
    const marginal = marginsAt(['controller.kp=278.4', 'controller.ki=168.4', 'controller.kd=3.888']);
    expect(marginal.delayMargin_s).toBeLessThan(1e-3);
    expect(marginsWarning(marginal, 1e-3)).toMatch(/delay margin 0\.5\d+ ms < Ts = 1 ms/);
    expect(marginsWarning(marginsAt([]), 1e-3)).toBeUndefined();
  });
});

describe('hilbench tune with margin constraints: CLI', () => {
  const run = async (...extra: string[]) => {
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    try {
      const code = await main(['node', 'hilbench', 'tune', '--budget', '4', '--workers', '0', '--no-robustness', '--no-progress', '--out', mkdtempSync(join(tmpdir(), 'hilbench-tune-')), ...extra]);
      return { code, out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  };
  const cases: [string[], RegExp][] = [
    [[fopdt, '--constraint', 'phase_margin_deg>30'], /--constraint 'phase_margin_deg>30': stability margins are not available for scenario .*no linear model/],
    [['maglev-fuzzy', '--params', 'controller.outputs.level.gain=0.015:0.035', '--objective', 'iae', '--constraint', 'delay_margin_s>0.002'], /--constraint 'delay_margin_s>0.002': .*margins need a pid/],
    [['maglev', '--constraint', 'phase_margin>35'], /unknown metric 'phase_margin' .*stability margins.*phase_margin_deg/],
  ];
  for (const [extra, message] of cases) {
    it(`exit 1: ${extra.slice(1).join(' ')}`, async () => {
      const r = await run(...extra);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
  }
  it('prints default and tuned margins, and tune.json carries the margin columns', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hilbench-tune-'));
    const r = await run('maglev', '--constraint', 'phase_margin_deg>35', '--out', out);
    expect(r.code).toBe(0);
    const d = marginsAt([]);
    const line = r.out.split('\n').find((l) => l.startsWith('    default: '))!;
    expect(line).toContain(`phase margin ${d.phaseMargin_deg.toFixed(1)}° at ${d.crossover_radps.toPrecision(4)} rad/s`);
    // Delay margin = PM/ωc, in ms and in samples of Ts = 1 ms.
    const dm_ms = (d.phaseMargin_deg * Math.PI) / 180 / d.crossover_radps / 1e-3;
    expect(line).toContain(`delay margin ${dm_ms.toPrecision(3)} ms = ${dm_ms.toFixed(2)} Ts`);
    expect(line).toContain(`gain interval −${(-d.gainMarginLower_dB).toFixed(1)} … +${d.gainMarginUpper_dB.toFixed(1)} dB`);
    expect(r.out).toMatch(/^ {4}tuned: {3}phase margin/m);
    const s = JSON.parse(readFileSync(join(out, 'tune.json'), 'utf8'));
    expect(s.tuned.phase_margin_deg).toBe(s.margins.tuned.phaseMargin_deg);
    expect(readFileSync(join(out, 'evaluations.csv'), 'utf8').split('\n')[0]).toMatch(/,phase_margin_deg,delay_margin_s,delay_margin_samples,gain_margin_up_db,gain_margin_down_db$/);
  });
});
