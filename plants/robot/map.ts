import { UserError } from '../../errors/user-error.ts';
import { readJsonFile } from '../../formats/json.ts';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { pointInPolygon, segmentsIntersect } from './geometry.ts';

/**
 * The robot map format (docs/plants/robot.md): a rectangular room and polygonal obstacles, in
 * millimetres like the seed papers. In memory everything is in metres.
 *
 * { "name": "…", "units": "mm", "room": [xmin, ymin, xmax, ymax],
 *   "obstacles": [{ "name": "O1", "points": [[x, y], …] }, …] }
 */
const point = z.tuple([z.number(), z.number()]);
export const mapSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  units: z.enum(['mm', 'm']).default('mm'),
  room: z
    .tuple([z.number(), z.number(), z.number(), z.number()])
    .refine((r) => r[0] < r[2] && r[1] < r[3], 'room is [xmin, ymin, xmax, ymax] with xmin < xmax and ymin < ymax'),
  obstacles: z.array(z.strictObject({ name: z.string().optional(), points: z.array(point).min(3) })).default([]),
});
export type MapFile = z.input<typeof mapSchema>;

export interface RobotMap {
  readonly name: string;
  /** Room bounds in metres. */
  readonly room: { readonly xmin: number; readonly ymin: number; readonly xmax: number; readonly ymax: number };
  /** Obstacle polygons, [x0, y0, x1, y1, …] in metres. */
  readonly obstacles: readonly Float64Array[];
  readonly obstacleNames: readonly string[];
  /** Every wall (room boundary and obstacle edges) as packed segments. */
  readonly segments: Float64Array;
}

/** Builds the in-memory map from a parsed (unvalidated) JSON object; `where` names the source in errors. */
export function parseMap(raw: unknown, where: string): RobotMap {
  const parsed = mapSchema.safeParse(raw);
  if (!parsed.success) throw new MapError(`${where}: ${parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(top level)'}: ${i.message}`).join('; ')}`);
  const m = parsed.data;
  const k = m.units === 'mm' ? 0.001 : 1;
  const [x0, y0, x1, y1] = m.room.map((v) => v * k);
  const obstacles = m.obstacles.map((o) => Float64Array.from(o.points.flat(), (v) => v * k));
  obstacles.forEach((p, o) => {
    const n = p.length / 2;
    for (let i = 0; i < n; i++) {
      const [x, y] = m.obstacles[o].points[i];
      if (p[2 * i] < x0 || p[2 * i] > x1 || p[2 * i + 1] < y0 || p[2 * i + 1] > y1) {
        throw new MapError(`${where}: obstacles.${o}.points.${i}: [${x}, ${y}] lies outside the room [${m.room.join(', ')}]`);
      }
      const j = (i + 1) % n;
      if (p[2 * i] === p[2 * j] && p[2 * i + 1] === p[2 * j + 1]) throw new MapError(`${where}: obstacles.${o}: points ${i} and ${j} are the same point; list each corner once`);
    }
    const crossing = selfCrossing(p);
    if (crossing) throw new MapError(`${where}: obstacles.${o}: edges ${crossing[0] + 1} and ${crossing[1] + 1} cross; an obstacle must be a simple polygon (points in order around it)`);
    if (Math.abs(polygonArea(p)) < 1e-12) throw new MapError(`${where}: obstacles.${o}: the polygon encloses no area (its points lie on one line)`);
  });
  const segs: number[] = [x0, y0, x1, y0, x1, y0, x1, y1, x1, y1, x0, y1, x0, y1, x0, y0];
  for (const p of obstacles) {
    const n = p.length / 2;
    for (let i = 0; i < n; i++) {
      const j = (i + 1) % n;
      segs.push(p[2 * i], p[2 * i + 1], p[2 * j], p[2 * j + 1]);
    }
  }
  return {
    name: m.name,
    room: { xmin: x0, ymin: y0, xmax: x1, ymax: y1 },
    obstacles,
    obstacleNames: m.obstacles.map((o, i) => o.name ?? `O${i + 1}`),
    segments: Float64Array.from(segs),
  };
}

/** Reads a map file; relative paths are resolved against `baseDir`. */
export function loadMap(file: string, baseDir = process.cwd()): RobotMap {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  return parseMap(readJsonFile(path, 'map'), path);
}

/** Signed area of polygon `p` (shoelace formula), in the map's squared unit. */
function polygonArea(p: Float64Array): number {
  const n = p.length / 2;
  let a = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    a += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
  }
  return a / 2;
}

/** The first pair of non-adjacent edges of polygon `p` that touch or cross, if any (edge i runs from point i to i + 1). */
function selfCrossing(p: Float64Array): [number, number] | undefined {
  const n = p.length / 2;
  for (let i = 0; i < n; i++) {
    const i2 = (i + 1) % n;
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // the closing edge shares point 0 with edge 0
      const j2 = (j + 1) % n;
      if (segmentsIntersect(p[2 * i], p[2 * i + 1], p[2 * i2], p[2 * i2 + 1], p[2 * j], p[2 * j + 1], p[2 * j2], p[2 * j2 + 1])) return [i, j];
    }
  }
  return undefined;
}

/** Whether (x, y) lies inside an obstacle or outside the room. */
export function insideObstacle(map: RobotMap, x: number, y: number): boolean {
  const r = map.room;
  if (x <= r.xmin || x >= r.xmax || y <= r.ymin || y >= r.ymax) return true;
  const obs = map.obstacles;
  for (let i = 0; i < obs.length; i++) if (pointInPolygon(obs[i], x, y)) return true;
  return false;
}

/** A map file the user wrote is wrong: a one-line message naming the file, exit 1 at the CLI. */
export class MapError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'MapError';
  }
}
