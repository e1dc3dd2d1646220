import type { OccupancyGrid } from './grid.ts';

export interface GridRoute {
  /** Node centres from start to goal, world metres. */
  readonly waypoints: readonly (readonly [number, number])[];
  /** Sum of the move lengths (m): 1 cell straight, √2 cells diagonal. */
  readonly cost_m: number;
  /** Nodes taken off the open set. */
  readonly expanded: number;
}

const NEIGHBOURS: readonly (readonly [number, number])[] = [
  [1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1],
];

/**
 * A* on the grid as in Gürel et al.: 8-connected, f = g + Euclidean h, an open priority queue and
 * a closed set; a diagonal move needs both cells beside it free (no corner cutting [R]).
 * Returns undefined when no route exists. Runs once per route request, so it may allocate.
 */
export function planRoute(grid: OccupancyGrid, sx: number, sy: number, gx: number, gy: number): GridRoute | undefined {
  const start = grid.nodeAt(sx, sy);
  const goal = grid.nodeAt(gx, gy);
  if (start < 0 || goal < 0 || grid.blocked[start] || grid.blocked[goal]) return undefined;
  const n = grid.nx * grid.ny;
  const g = new Float64Array(n).fill(Infinity);
  const parent = new Int32Array(n).fill(-1);
  const closed = new Uint8Array(n);
  const gi = goal % grid.nx;
  const gj = Math.floor(goal / grid.nx);
  const h = (k: number): number => Math.hypot((k % grid.nx) - gi, Math.floor(k / grid.nx) - gj);
  const open = new MinHeap();
  g[start] = 0;
  open.push(start, h(start));
  let expanded = 0;
  while (open.size > 0) {
    const k = open.pop();
    if (closed[k]) continue; // a stale entry: this node was reached more cheaply later
    closed[k] = 1;
    expanded++;
    if (k === goal) break;
    const i = k % grid.nx;
    const j = Math.floor(k / grid.nx);
    for (const [di, dj] of NEIGHBOURS) {
      const ni = i + di;
      const nj = j + dj;
      if (!grid.isFree(ni, nj)) continue;
      if (di !== 0 && dj !== 0 && (!grid.isFree(i + di, j) || !grid.isFree(i, j + dj))) continue;
      const m = nj * grid.nx + ni;
      if (closed[m]) continue;
      const cand = g[k] + (di !== 0 && dj !== 0 ? Math.SQRT2 : 1);
      if (cand < g[m]) {
        g[m] = cand;
        parent[m] = k;
        open.push(m, cand + h(m));
      }
    }
  }
  if (!closed[goal]) return undefined;
  const nodes: number[] = [];
  for (let k = goal; k !== -1; k = parent[k]) nodes.push(k);
  nodes.reverse();
  const waypoints = nodes.map((k) => [grid.x(k % grid.nx), grid.y(Math.floor(k / grid.nx))] as const);
  return { waypoints, cost_m: g[goal] * grid.cell_m, expanded };
}

/** Binary min-heap of (node, priority); ties go to the node pushed first. Small enough not to need a package. */
class MinHeap {
  private nodes: number[] = [];
  private keys: number[] = [];
  private order: number[] = [];
  private counter = 0;
  get size(): number {
    return this.nodes.length;
  }
  push(node: number, key: number): void {
    this.nodes.push(node);
    this.keys.push(key);
    this.order.push(this.counter++);
    this.up(this.nodes.length - 1);
  }
  pop(): number {
    const top = this.nodes[0];
    const last = this.nodes.length - 1;
    this.swap(0, last);
    this.nodes.pop();
    this.keys.pop();
    this.order.pop();
    this.down(0);
    return top;
  }
  private less(a: number, b: number): boolean {
    return this.keys[a] < this.keys[b] || (this.keys[a] === this.keys[b] && this.order[a] < this.order[b]);
  }
  private swap(a: number, b: number): void {
    [this.nodes[a], this.nodes[b]] = [this.nodes[b], this.nodes[a]];
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
    [this.order[a], this.order[b]] = [this.order[b], this.order[a]];
  }
  private up(k: number): void {
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!this.less(k, p)) return;
      this.swap(k, p);
      k = p;
    }
  }
  private down(k: number): void {
    const n = this.nodes.length;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === k) return;
      this.swap(k, m);
      k = m;
    }
  }
}
