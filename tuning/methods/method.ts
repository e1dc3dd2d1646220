/**
 * A search method in ask/tell form over the unit cube [0, 1]^n. `ask` proposes a batch; the
 * runner evaluates the whole batch (in parallel, in any order) and `tell`s the costs back in
 * the batch's order. Batches depend only on the seed and earlier costs — never on how many
 * workers evaluate them — which makes results independent of the worker count and lets a
 * results file be replayed to resume an interrupted search.
 */
export interface SearchMethod {
  readonly name: string;
  /** Next points to evaluate, or null when the method has nothing more to try. */
  ask(): number[][] | null;
  tell(points: readonly number[][], costs: readonly number[]): void;
}

export function clipUnit(x: readonly number[]): number[] {
  return x.map((v) => (v < 0 ? 0 : v > 1 ? 1 : v));
}

/** Minimises `f` synchronously with a method until `budget` evaluations (tests, small problems). */
export function minimize(method: SearchMethod, f: (x: readonly number[]) => number, budget: number): { x: number[]; f: number; evaluations: number } {
  let best = { x: [] as number[], f: Infinity };
  let used = 0;
  while (used < budget) {
    const batch = method.ask();
    if (!batch || batch.length === 0) break;
    const points = batch.slice(0, budget - used);
    const costs = points.map((p) => f(p));
    used += points.length;
    costs.forEach((c, i) => {
      if (c < best.f) best = { x: points[i], f: c };
    });
    if (points.length < batch.length) break;
    method.tell(points, costs);
  }
  return { ...best, evaluations: used };
}
