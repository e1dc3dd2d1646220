import { clipUnit, type SearchMethod } from './method.ts';

/**
 * Nelder–Mead simplex (Lagarias et al. 1998 coefficients α = 1, γ = 2, ρ = ½, σ = ½) in the unit
 * cube, candidates clipped to it. Parallel-friendly variant: each iteration asks for the
 * reflection, expansion, outside and inside contraction at once (4 evaluations, 2 of them
 * usually wasted) and then takes exactly the decision classic Nelder–Mead would take, so the
 * path equals the sequential algorithm's while 2–4 workers stay busy. When the simplex has
 * collapsed (diameter < `restartDiameter`) it restarts around the best point with half the
 * initial step, so the whole budget is used.
 */
export class NelderMead implements SearchMethod {
  readonly name = 'nelder-mead';
  private simplex: number[][] = [];
  private costs: number[] = [];
  private phase: 'init' | 'step' | 'shrink' = 'init';
  private step: number;
  private x0: number[];

  constructor(
    x0: readonly number[],
    initialStep = 0.1,
    private readonly restartDiameter = 1e-6,
  ) {
    this.x0 = [...x0];
    this.step = initialStep;
  }

  ask(): number[][] {
    if (this.phase === 'init') return this.initialSimplex(this.x0);
    if (this.phase === 'shrink') {
      const best = this.simplex[0];
      return this.simplex.slice(1).map((x) => clipUnit(x.map((v, i) => best[i] + 0.5 * (v - best[i]))));
    }
    const { c, worst } = this.centroid();
    const at = (t: number): number[] => clipUnit(c.map((ci, i) => ci + t * (ci - worst[i])));
    return [at(1), at(2), at(0.5), at(-0.5)];
  }

  tell(points: readonly number[][], costs: readonly number[]): void {
    if (this.phase === 'init') {
      this.simplex = points.map((p) => [...p]);
      this.costs = [...costs];
      this.sort();
      this.phase = 'step';
      return;
    }
    if (this.phase === 'shrink') {
      for (let i = 0; i < points.length; i++) {
        this.simplex[i + 1] = [...points[i]];
        this.costs[i + 1] = costs[i];
      }
      this.sort();
      this.phase = 'step';
      this.maybeRestart();
      return;
    }
    const [fr, fe, foc, fic] = costs;
    const n = this.simplex.length - 1;
    const fBest = this.costs[0];
    const fSecondWorst = this.costs[n - 1];
    const fWorst = this.costs[n];
    let accept = -1;
    if (fr < fBest) accept = fe < fr ? 1 : 0;
    else if (fr < fSecondWorst) accept = 0;
    else if (fr < fWorst) accept = foc <= fr ? 2 : -1;
    else accept = fic < fWorst ? 3 : -1;
    if (accept < 0) {
      this.phase = 'shrink';
      return;
    }
    this.simplex[n] = [...points[accept]];
    this.costs[n] = costs[accept];
    this.sort();
    this.maybeRestart();
  }

  /** Best point and cost so far. */
  get best(): { x: number[]; f: number } {
    return { x: this.simplex[0], f: this.costs[0] };
  }

  private initialSimplex(x0: readonly number[]): number[][] {
    const base = clipUnit(x0);
    const pts = [base];
    for (let i = 0; i < base.length; i++) {
      const p = [...base];
      p[i] = base[i] + this.step <= 1 ? base[i] + this.step : base[i] - this.step;
      pts.push(p);
    }
    return pts;
  }

  private centroid(): { c: number[]; worst: number[] } {
    const n = this.simplex.length - 1;
    const c = new Array<number>(this.simplex[0].length).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < c.length; i++) c[i] += this.simplex[k][i] / n;
    return { c, worst: this.simplex[n] };
  }

  private sort(): void {
    // Stable by cost, ties keep their order: the path is a pure function of the costs.
    const order = this.costs.map((f, i) => i).sort((a, b) => this.costs[a] - this.costs[b] || a - b);
    this.simplex = order.map((i) => this.simplex[i]);
    this.costs = order.map((i) => this.costs[i]);
  }

  private maybeRestart(): void {
    let diameter = 0;
    const b = this.simplex[0];
    for (const x of this.simplex) for (let i = 0; i < x.length; i++) diameter = Math.max(diameter, Math.abs(x[i] - b[i]));
    if (diameter < this.restartDiameter) {
      this.step = Math.max(this.step / 2, 1e-3);
      this.phase = 'init';
      this.x0 = [...b]; // the restart simplex is built around the best point found
    }
  }
}
