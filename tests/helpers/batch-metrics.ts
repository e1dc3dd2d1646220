import type { MetricSpec, StandardMetrics } from '../../firmware-sim/metrics.ts';
import type { RecordedRun } from '../../plants/plant.ts';

/**
 * The standard metrics computed in one pass over a whole in-memory run: the reference the online
 * OnlineStepMetrics (run/record/step-metrics.ts), which the runs use, must equal bit for bit.
 */
export function computeMetrics(run: RecordedRun, spec: MetricSpec): StandardMetrics {
  const t = run.t;
  const y = mustColumn(run, spec.output);
  const r = mustColumn(run, spec.reference);
  const n = t.length;
  const h = n > 1 ? t[1] - t[0] : 0;
  let iae = 0;
  let ise = 0;
  let itae = 0;
  for (let k = 0; k < n; k++) {
    const e = r[k] - y[k];
    iae += Math.abs(e) * h;
    ise += e * e * h;
    itae += t[k] * Math.abs(e) * h;
  }
  // The step being judged: from the last reference change to the end.
  let kChange = 0;
  for (let k = 1; k < n; k++) if (r[k] !== r[k - 1]) kChange = k;
  const tChange = n ? t[kChange] : 0;
  const rFinal = n ? r[n - 1] : NaN;
  const y0 = n ? y[kChange] : NaN;
  const step = rFinal - y0;
  const dir = Math.sign(step);

  let overshoot = NaN;
  let rise = NaN;
  if (dir !== 0) {
    let peak = 0;
    let t10 = NaN;
    let t90 = NaN;
    for (let k = kChange; k < n; k++) {
      const progress = (y[k] - y0) / step;
      if (t10 !== t10 && progress >= 0.1) t10 = t[k];
      if (t90 !== t90 && progress >= 0.9) t90 = t[k];
      const beyond = dir * (y[k] - rFinal);
      if (beyond > peak) peak = beyond;
    }
    overshoot = (100 * peak) / Math.abs(step);
    rise = t90 - t10;
  }

  // As MATLAB's stepinfo: a fraction of the step itself, so a step to zero or on an offset is judged
  // like any other. A run without a step (regulation) uses the reference's magnitude.
  const band = spec.bandAbs ?? spec.band * Math.abs(step !== 0 ? step : rFinal);
  // Settled means it stays: the output must be inside the band for the last 10 % of the judged
  // window (at least 2 samples), not merely at the last sample.
  const window = n - kChange;
  const mustStay = Math.max(2, Math.ceil(0.1 * window));
  let settling = NaN;
  if (n) {
    let lastOut = -1;
    for (let k = kChange; k < n; k++) if (!(Math.abs(y[k] - rFinal) <= band)) lastOut = k;
    if (lastOut < 0) settling = 0;
    else if (n - 1 - lastOut >= mustStay) settling = t[lastOut + 1] - tChange;
  }

  // Mean error over the last 10 % of the run, but never from before the judged step.
  const from = Math.max(kChange, n - Math.max(1, Math.floor(n * 0.1)));
  let sse = 0;
  for (let k = from; k < n; k++) sse += r[k] - y[k];
  sse /= n - from;

  let effort = 0;
  let energy = 0;
  const u = spec.command ? mustColumn(run, spec.command) : undefined;
  if (u) {
    for (let k = 0; k < n; k++) {
      effort += Math.abs(u[k]) * h;
      energy += u[k] * u[k] * h;
    }
  }
  let saturation = 0;
  if (spec.saturation) {
    const c = mustColumn(run, spec.saturation.column);
    for (let k = 0; k < n; k++) if (c[k] <= spec.saturation.minCounts || c[k] >= spec.saturation.maxCounts) saturation += h;
  }
  const duration = n * h;
  return {
    iae,
    ise,
    itae,
    rms_error: duration > 0 ? Math.sqrt(ise / duration) : NaN,
    overshoot_pct: overshoot,
    rise_time_s: rise,
    settling_time_s: settling,
    settling_band: band,
    steady_state_error: sse,
    control_effort: effort,
    control_energy: energy,
    saturation_time_s: saturation,
  };
}

function mustColumn(run: RecordedRun, name: string): Float64Array {
  const c = run.column(name);
  if (!c) throw new Error(`metrics: no recorded signal '${name}'`);
  return c;
}
