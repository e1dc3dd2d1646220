/**
 * Planar geometry on wall segments packed as [ax, ay, bx, by, …] in a Float64Array (metres).
 * Used by the sonar model, collision detection, clearance metrics and the grid planner.
 * Nothing here allocates, so it can run inside `measure` and `constrain`.
 */

/** Distance along the ray (ox, oy) + t·(dx, dy), |d| = 1, to the first segment it hits; Infinity if none. */
export function rayCast(segs: Float64Array, ox: number, oy: number, dx: number, dy: number): number {
  let best = Infinity;
  for (let i = 0; i < segs.length; i += 4) {
    const ax = segs[i];
    const ay = segs[i + 1];
    const ex = segs[i + 2] - ax;
    const ey = segs[i + 3] - ay;
    const den = dx * ey - dy * ex;
    if (den === 0) continue; // parallel: a grazing ray does not echo
    const wx = ax - ox;
    const wy = ay - oy;
    const t = (wx * ey - wy * ex) / den;
    const s = (wx * dy - wy * dx) / den;
    if (t >= 0 && s >= 0 && s <= 1 && t < best) best = t;
  }
  return best;
}

/** Distance from a point to one segment. */
export function pointSegmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const ex = bx - ax;
  const ey = by - ay;
  const len2 = ex * ex + ey * ey;
  let u = len2 > 0 ? ((px - ax) * ex + (py - ay) * ey) / len2 : 0;
  u = u < 0 ? 0 : u > 1 ? 1 : u;
  const qx = ax + u * ex - px;
  const qy = ay + u * ey - py;
  return Math.sqrt(qx * qx + qy * qy);
}

/** Distance from a point to the nearest segment. */
export function nearestSegmentDistance(segs: Float64Array, px: number, py: number): number {
  let best = Infinity;
  for (let i = 0; i < segs.length; i += 4) {
    const d = pointSegmentDistance(px, py, segs[i], segs[i + 1], segs[i + 2], segs[i + 3]);
    if (d < best) best = d;
  }
  return best;
}

/** Even–odd point-in-polygon test; `poly` is [x0, y0, x1, y1, …]. */
export function pointInPolygon(poly: Float64Array, px: number, py: number): boolean {
  let inside = false;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i];
    const yi = poly[2 * i + 1];
    const xj = poly[2 * j];
    const yj = poly[2 * j + 1];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether segments p1p2 and q1q2 intersect (touching counts). */
export function segmentsIntersect(
  p1x: number, p1y: number, p2x: number, p2y: number,
  q1x: number, q1y: number, q2x: number, q2y: number,
): boolean {
  const o1 = orient(p1x, p1y, p2x, p2y, q1x, q1y);
  const o2 = orient(p1x, p1y, p2x, p2y, q2x, q2y);
  const o3 = orient(q1x, q1y, q2x, q2y, p1x, p1y);
  const o4 = orient(q1x, q1y, q2x, q2y, p2x, p2y);
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;
  if (o1 === 0 && onSegment(p1x, p1y, p2x, p2y, q1x, q1y)) return true;
  if (o2 === 0 && onSegment(p1x, p1y, p2x, p2y, q2x, q2y)) return true;
  if (o3 === 0 && onSegment(q1x, q1y, q2x, q2y, p1x, p1y)) return true;
  if (o4 === 0 && onSegment(q1x, q1y, q2x, q2y, p2x, p2y)) return true;
  return false;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const v = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return px >= Math.min(ax, bx) && px <= Math.max(ax, bx) && py >= Math.min(ay, by) && py <= Math.max(ay, by);
}

/** Wraps an angle to (−π, π]. */
export function wrapAngle(a: number): number {
  const twoPi = 2 * Math.PI;
  a = a % twoPi;
  if (a > Math.PI) a -= twoPi;
  else if (a <= -Math.PI) a += twoPi;
  return a;
}
