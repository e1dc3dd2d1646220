import { pointInPolygon, pointSegmentDistance, segmentsIntersect } from '../../plants/robot/geometry.ts';
import type { RobotMap } from '../../plants/robot/map.ts';

/**
 * Occupancy grid for the route planner (Gürel et al.: 1 m × 1 m cells, nodes at the cell centres).
 * Node (i, j) sits at (x0 + i·cell, y0 + j·cell); a cell is blocked when its square comes within
 * `margin` of an obstacle polygon (margin 0: touches or overlaps it) or leaves the room.
 */
export class OccupancyGrid {
  readonly nx: number;
  readonly ny: number;
  /** Column of node x0 (index of the node at x0 is (i0, j0)). */
  readonly i0: number;
  readonly j0: number;
  readonly blocked: Uint8Array;

  constructor(
    readonly map: RobotMap,
    readonly cell_m: number,
    /** A world point that is a node (the seed puts one on the start). */
    readonly originX: number,
    readonly originY: number,
    readonly margin_m: number,
  ) {
    if (!(cell_m > 0)) throw new Error(`grid cell must be > 0 (got ${cell_m})`);
    const r = map.room;
    // Cells whose square lies inside the room.
    this.i0 = Math.floor((originX - r.xmin) / cell_m + 0.5 - 1e-9);
    this.j0 = Math.floor((originY - r.ymin) / cell_m + 0.5 - 1e-9);
    const xFirst = originX - this.i0 * cell_m;
    const yFirst = originY - this.j0 * cell_m;
    this.nx = Math.floor((r.xmax - (xFirst - cell_m / 2)) / cell_m + 1e-9);
    this.ny = Math.floor((r.ymax - (yFirst - cell_m / 2)) / cell_m + 1e-9);
    this.blocked = new Uint8Array(this.nx * this.ny);
    for (let j = 0; j < this.ny; j++) {
      for (let i = 0; i < this.nx; i++) {
        const cx = this.x(i);
        const cy = this.y(j);
        const h = cell_m / 2;
        const outside = cx - h < r.xmin - 1e-9 || cx + h > r.xmax + 1e-9 || cy - h < r.ymin - 1e-9 || cy + h > r.ymax + 1e-9;
        let b = outside;
        for (const poly of map.obstacles) if (!b && squareNearPolygon(cx, cy, h, poly, margin_m)) b = true;
        this.blocked[j * this.nx + i] = b ? 1 : 0;
      }
    }
  }

  x(i: number): number {
    return this.originX + (i - this.i0) * this.cell_m;
  }
  y(j: number): number {
    return this.originY + (j - this.j0) * this.cell_m;
  }
  /** Index of the node whose cell contains (x, y), or −1 outside the grid. */
  nodeAt(x: number, y: number): number {
    const i = Math.round((x - this.originX) / this.cell_m) + this.i0;
    const j = Math.round((y - this.originY) / this.cell_m) + this.j0;
    return i < 0 || j < 0 || i >= this.nx || j >= this.ny ? -1 : j * this.nx + i;
  }
  isFree(i: number, j: number): boolean {
    return i >= 0 && j >= 0 && i < this.nx && j < this.ny && this.blocked[j * this.nx + i] === 0;
  }
}

/** Whether the axis-aligned square (centre, half side h) lies within `margin` of the polygon. */
export function squareNearPolygon(cx: number, cy: number, h: number, poly: Float64Array, margin: number): boolean {
  const sq = [cx - h, cy - h, cx + h, cy - h, cx + h, cy + h, cx - h, cy + h];
  if (pointInPolygon(poly, cx, cy)) return true;
  const n = poly.length / 2;
  for (let k = 0; k < n; k++) {
    const px = poly[2 * k];
    const py = poly[2 * k + 1];
    if (px >= cx - h && px <= cx + h && py >= cy - h && py <= cy + h) return true;
  }
  for (let a = 0; a < 4; a++) {
    const ax = sq[2 * a];
    const ay = sq[2 * a + 1];
    const bx = sq[(2 * a + 2) % 8];
    const by = sq[(2 * a + 3) % 8];
    for (let k = 0; k < n; k++) {
      const px = poly[2 * k];
      const py = poly[2 * k + 1];
      const qx = poly[(2 * k + 2) % poly.length];
      const qy = poly[(2 * k + 3) % poly.length];
      if (segmentsIntersect(ax, ay, bx, by, px, py, qx, qy)) return true;
      if (margin > 0) {
        const d = Math.min(
          pointSegmentDistance(ax, ay, px, py, qx, qy),
          pointSegmentDistance(bx, by, px, py, qx, qy),
          pointSegmentDistance(px, py, ax, ay, bx, by),
          pointSegmentDistance(qx, qy, ax, ay, bx, by),
        );
        if (d <= margin) return true;
      }
    }
  }
  return false;
}
