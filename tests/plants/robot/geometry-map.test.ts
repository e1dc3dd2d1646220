import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearestSegmentDistance, pointInPolygon, rayCast, segmentsIntersect, wrapAngle } from '../../../plants/robot/geometry.ts';
import { loadMap, parseMap } from '../../../plants/robot/map.ts';
import { defaultMapFile } from '../../../plants/robot/index.ts';

describe('robot geometry', () => {
  const square = Float64Array.of(0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0);
  it('casts rays to the first wall (closed form)', () => {
    expect(rayCast(square, 0.5, 0.5, 1, 0)).toBeCloseTo(0.5, 15);
    const d = Math.SQRT1_2;
    expect(rayCast(square, 0.5, 0.25, d, d)).toBeCloseTo(0.5 * Math.SQRT2, 12);
    expect(rayCast(square, 2, 2, 1, 0)).toBe(Infinity);
  });
  it('measures distances, containment and crossings', () => {
    expect(nearestSegmentDistance(square, 0.5, 0.2)).toBeCloseTo(0.2, 15);
    expect(nearestSegmentDistance(square, 2, 2)).toBeCloseTo(Math.SQRT2, 15);
    const poly = Float64Array.of(0, 0, 1, 0, 1, 1, 0, 1);
    expect(pointInPolygon(poly, 0.5, 0.5)).toBe(true);
    expect(pointInPolygon(poly, 1.5, 0.5)).toBe(false);
    expect(segmentsIntersect(0, 0, 1, 1, 0, 1, 1, 0)).toBe(true);
    expect(segmentsIntersect(0, 0, 1, 0, 0, 1, 1, 1)).toBe(false);
    expect(wrapAngle(3 * Math.PI)).toBeCloseTo(Math.PI, 12);
    expect(wrapAngle(-Math.PI / 2 - 4 * Math.PI)).toBeCloseTo(-Math.PI / 2, 12);
  });
});

describe('robot map files', () => {
  it('loads the fitted Yufka & Parlaktuna world of plants.md §4 in metres', () => {
    const m = loadMap(defaultMapFile);
    expect(m.room).toEqual({ xmin: -1.5, ymin: -1.5, xmax: 8.5, ymax: 6.5 });
    expect(Array.from(m.obstacles[0])).toEqual([1.78, 0.964, 2.431, 1.429, 1.268, 3.057, 0.617, 2.592]);
    expect(m.obstacleNames).toEqual(['O1', 'O2']);
    expect(m.segments.length).toBe(4 * (4 + 4 + 4));
  });
  it('names the file and the field of a bad map in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'robot-map-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', room: [0, 0, -1, 5], obstacles: [{ points: [[0, 0], [1, 1]] }] }));
    expect(() => loadMap(bad)).toThrow(/bad\.json: room: .*obstacles\.0\.points/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "name": ');
    expect(() => loadMap(broken)).toThrow(/broken\.json:\d+:\d+: invalid JSON/);
    expect(() => loadMap(join(dir, 'missing.json'))).toThrow(/missing\.json: no such map \(ENOENT\)/);
    let err: unknown;
    try {
      parseMap({ name: 1 }, 'inline');
    } catch (e) {
      err = e;
    }
    expect((err as { userError?: boolean } | undefined)?.userError).toBe(true);
  });

  it('refuses an obstacle whose edges cross (a bow tie), naming the obstacle and the edges', () => {
    const bowTie = [[0, 0], [1000, 1000], [1000, 0], [0, 1000]];
    expect(() => parseMap({ name: 'x', room: [-5000, -5000, 5000, 5000], obstacles: [{ points: [[3000, 3000], [4000, 3000], [4000, 4000]] }, { points: bowTie }] }, 'm.json')).toThrow(
      /^m\.json: obstacles\.1: edges 1 and 3 cross/,
    );
    // The same points in order around the square are fine.
    expect(() => parseMap({ name: 'x', room: [-5000, -5000, 5000, 5000], obstacles: [{ points: [[0, 0], [1000, 0], [1000, 1000], [0, 1000]] }] }, 'm.json')).not.toThrow();
  });
});
