import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbench, repoRoot } from '../helpers/cli.ts';

describe('discovery: hilbench scenarios, hilbench describe', () => {
  it('scenarios lists every scenario file in scenarios/, one line each with its description', () => {
    const r = hilbench(['scenarios']);
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(repoRoot, 'scenarios'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
    expect(files.length).toBeGreaterThan(10);
    const lines = r.stdout.split('\n');
    for (const name of files) {
      const line = lines.find((l) => l.startsWith(`${name} `));
      expect(line, name).toBeDefined();
      expect(line!.slice(name.length).trim().length, name).toBeGreaterThan(20);
    }
    expect(r.stdout).toMatch(/^maglev\s+Hold a 9 g steel ball at 8 mm/m);
  });

  it('describe maglev: m_kg with its unit and source, sensors, actuators, references, what --controller accepts', () => {
    const r = hilbench(['describe', 'maglev']);
    expect(r.code, r.stderr).toBe(0);
    // The seed paper's ball: 9 g.
    expect(r.stdout).toMatch(/^\s+m_kg\s+0\.009\s+kg\s+\[0\.0001, 1\]\s+\[S\] ball mass 9 g$/m);
    expect(r.stdout).toMatch(/^\s+x0_m\s+0\.0085\s+m\s+\[0, 0\.1\]\s+scenario \(default/m);
    expect(r.stdout).toMatch(/^\s+x_meas_m ← x_sensor_V\s+adc/m);
    expect(r.stdout).toMatch(/^\s+i_cmd_A → i_A\s+pwm, range \[0, 0\.15\]$/m);
    expect(r.stdout).toMatch(/^\s+x_ref_m\s+constant 0\.008$/m);
    expect(r.stdout).toMatch(/^controller: pid — /m);
    expect(r.stdout).toMatch(/no model files: a pid controller reads none/);
  });

  it('describe maglev-fuzzy names the model-file extensions; robot-unreachable lists its named controllers', () => {
    const fuzzy = hilbench(['describe', 'maglev-fuzzy']);
    expect(fuzzy.code, fuzzy.stderr).toBe(0);
    expect(fuzzy.stdout).toMatch(/FILE\.fll\|\.fis\|\.fcl\s+a model file for this fuzzy controller/);
    const robot = hilbench(['describe', 'robot-unreachable']);
    expect(robot.code, robot.stderr).toBe(0);
    expect(robot.stdout).toMatch(/^\s+bug2\s+bug2 — /m);
    expect(robot.stdout).toMatch(/^\s+distbug\s+distbug — /m);
  });

  it('describe of an unknown scenario: one line naming the built-in ones, exit 1', () => {
    const r = hilbench(['describe', 'nosuch']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown scenario 'nosuch' \(built in: .*maglev/);
  });
});
