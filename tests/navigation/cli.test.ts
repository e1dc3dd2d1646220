import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hilbench, repoRoot } from '../helpers/cli.ts';

describe('robot scenarios from the CLI', () => {
  it('`hilbench run robot-distbug` writes the standard outputs with the navigation metrics and the map panel', () => {
    const out = mkdtempSync(join(tmpdir(), 'robot-cli-'));
    const r = hilbench(['run', 'robot-distbug', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['run.csv', 'run.meta.json', 'metrics.json', 'report.html', 'plot.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    const m = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(m.status).toBe('completed');
    expect(m.goal_reached_reported).toBe(1);
    expect(m.collisions).toBe(0);
    expect(readFileSync(join(out, 'plot.svg'), 'utf8')).toContain("Map 'yufka-fitted'");
  });

  it('a broken map file is a one-line user error (exit 1) naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'robot-cli-'));
    writeFileSync(join(dir, 'map.json'), '{"name": "m", "room": [0, 0, 1]}');
    const scenario = JSON.parse(readFileSync(join(repoRoot, 'scenarios/robot-bug2.json'), 'utf8'));
    scenario.plantOptions.map = 'map.json';
    writeFileSync(join(dir, 'sc.json'), JSON.stringify(scenario));
    const r = hilbench(['run', join(dir, 'sc.json'), '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/map\.json: room/);
  });
});
