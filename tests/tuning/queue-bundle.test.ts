/**
 * What a queue job carries: the scenario with its model files, evaluated on a "worker" that has
 * none of the coordinator's files (the originals are deleted before the worker's copy is made).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleTask, materializeBundle } from '../../tuning/queue/bundle.ts';
import { decodeMetrics, encodeMetrics } from '../../tuning/queue/job.ts';
import { evaluatePoint } from '../../tuning/task.ts';

const scenarios = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'hilbench-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('task bundles', () => {
  it('a fuzzy scenario with a relative model file runs on a worker without the original files, with the same metrics', () => {
    const coordinator = join(tmp, 'coordinator');
    mkdirSync(join(coordinator, 'models'), { recursive: true });
    copyFileSync(join(scenarios, 'maglev-fuzzy.json'), join(coordinator, 'plant.json'));
    copyFileSync(join(scenarios, 'models/maglev-sugeno.fll'), join(coordinator, 'models/maglev-sugeno.fll'));
    const task = { scenario: join(coordinator, 'plant.json'), baseSets: ['duration=0.2'], specs: [] };
    const expected = evaluatePoint(task, []);
    const { bundle, hash } = bundleTask(task);
    const keys = Object.keys(bundle.files);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^files\/[0-9a-f]{16}\/maglev-sugeno\.fll$/);
    expect((bundle.scenario as { controller: { model: string } }).controller.model).toBe(keys[0]);
    expect(Buffer.from(bundle.files[keys[0]], 'base64').equals(readFileSync(join(scenarios, 'models/maglev-sugeno.fll')))).toBe(true);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);

    // The job travels as JSON; the coordinator's files are gone before the worker writes its copy.
    const travelled = JSON.parse(JSON.stringify(bundle)) as typeof bundle;
    rmSync(coordinator, { recursive: true });
    const workerTask = materializeBundle(travelled, join(tmp, 'worker'));
    expect(workerTask.scenario.startsWith(join(tmp, 'worker'))).toBe(true);
    const got = evaluatePoint(workerTask, []);
    expect(got.status).toBe('completed');
    expect(got).toEqual(expected);
  });

  it('a model outside the scenario directory (../) and a --set naming a file are inlined too', () => {
    const task = { scenario: join(scenarios, 'hypothermia-static-mlp.json'), baseSets: ['controllers.dynamic.model=models/solar-tracker.fll'], specs: [] };
    const { bundle } = bundleTask(task);
    const model = (bundle.scenario as { controller: { model: string } }).controller.model;
    expect(model).toMatch(/^files\/[0-9a-f]{16}\/rat-brain-mlp\.json$/);
    expect(Buffer.from(bundle.files[model], 'base64').toString()).toBe(readFileSync(join(scenarios, '../controllers/thermal/models/rat-brain-mlp.json'), 'utf8'));
    expect(bundle.baseSets[0]).toMatch(/^controllers\.dynamic\.model=files\/[0-9a-f]{16}\/solar-tracker\.fll$/);
    const worker = materializeBundle(bundle, join(tmp, 'worker-mlp'));
    expect(readFileSync(join(tmp, 'worker-mlp', model), 'utf8')).toBe(readFileSync(join(scenarios, '../controllers/thermal/models/rat-brain-mlp.json'), 'utf8'));
    expect(worker.baseSets).toEqual(bundle.baseSets);
  });

  it('a bundle naming a file outside its directory is refused', () => {
    const bad = { ...bundleTask({ scenario: join(scenarios, 'maglev.json'), baseSets: [], specs: [] }).bundle, files: { 'files/0123456789abcdef/../../escape': '' } };
    expect(() => materializeBundle(bad, join(tmp, 'worker-bad'))).toThrow(/refusing file name/);
    const bad2 = { ...bad, files: { '/etc/passwd': '' } };
    expect(() => materializeBundle(bad2, join(tmp, 'worker-bad'))).toThrow(/refusing file name/);
  });
});

describe('metrics through JSON', () => {
  it('infinite and NaN metrics come back as numbers, other values and the key order unchanged', () => {
    const m = { status: 'completed', gain_margin_db: Infinity, low: -Infinity, odd: NaN, itae: 0.1 + 0.2, missing: null };
    const back = decodeMetrics(JSON.parse(JSON.stringify(encodeMetrics(m))));
    expect(Object.keys(back)).toEqual(Object.keys(m));
    expect(back.gain_margin_db).toBe(Infinity);
    expect(back.low).toBe(-Infinity);
    expect(back.odd).toBeNaN();
    expect(back.itae).toBe(0.30000000000000004);
    expect(back.missing).toBeNull();
    expect(back.status).toBe('completed');
    expect(JSON.parse(JSON.stringify(encodeMetrics({ a: 1 })))).toEqual({ metrics: { a: 1 } });
  });
});
