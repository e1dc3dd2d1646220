import type { Mlp } from './network.ts';

/**
 * Jacobian of the network outputs (normalised units) with respect to every weight, by
 * backpropagation (Hagan & Menhaj 1994, eq. 10–13 with the output sensitivity set to 1).
 * `xUnit` holds N normalised input rows, flat; row (n·nOut + k) of `J` (P columns, flat) is
 * ∂y_k(x_n)/∂w, and `yUnit[n·nOut + k]` receives y_k(x_n).
 */
export class JacobianWorkspace {
  private readonly delta: Float64Array[];
  private readonly stored: Float64Array[];

  constructor(readonly net: Mlp) {
    this.delta = net.sizes.map((s) => new Float64Array(s));
    this.stored = net.sizes.map((s) => new Float64Array(s));
  }

  compute(w: Float64Array, xUnit: Float64Array, N: number, J: Float64Array, yUnit: Float64Array): void {
    const net = this.net;
    const sizes = net.sizes;
    const L = sizes.length - 1;
    const nIn = sizes[0];
    const nOut = sizes[L];
    const P = w.length;
    J.fill(0);
    for (let n = 0; n < N; n++) {
      const a0 = net.activations[0];
      for (let j = 0; j < nIn; j++) a0[j] = xUnit[n * nIn + j];
      net.forwardUnit(w);
      for (let l = 0; l <= L; l++) this.stored[l].set(net.activations[l]);
      for (let k = 0; k < nOut; k++) {
        const row = (n * nOut + k) * P;
        yUnit[n * nOut + k] = this.stored[L][k];
        const dL = this.delta[L];
        dL.fill(0);
        dL[k] = 1; // linear output layer: ∂y_k/∂z_k = 1
        for (let l = L; l >= 1; l--) {
          const d = this.delta[l];
          const a = this.stored[l - 1];
          const ni = sizes[l - 1];
          const no = sizes[l];
          const wo = net.wOffset[l];
          const bo = net.bOffset[l];
          for (let i = 0; i < no; i++) {
            const di = d[i];
            if (di === 0) continue;
            const base = row + wo + i * ni;
            for (let j = 0; j < ni; j++) J[base + j] = di * a[j];
            J[row + bo + i] = di;
          }
          if (l > 1) {
            const dPrev = this.delta[l - 1];
            for (let j = 0; j < ni; j++) {
              let s = 0;
              for (let i = 0; i < no; i++) s += w[wo + i * ni + j] * d[i];
              const aj = a[j];
              dPrev[j] = s * (1 - aj * aj); // tanh'(z) = 1 − tanh²(z)
            }
          }
        }
      }
    }
  }
}
