import type { HybridResult } from './hybrid.ts';

/** The training curve as CSV: epoch, training RMSE, checking RMSE (empty without checking data), step size. */
export function curveCsv(r: HybridResult): string {
  const rows = ['epoch,train_rmse,check_rmse,step_size'];
  r.trainRmse.forEach((e, i) => rows.push(`${i + 1},${e},${r.checkRmse[i] ?? ''},${r.stepSizes[i]}`));
  return rows.join('\n') + '\n';
}
