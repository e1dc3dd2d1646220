/**
 * The seed's three phototransistors [S]: 0–9 V, falling as the ball shadows the beam and rising
 * again once it leaves the field of view, so the curve is not monotonic. The fitted formula is lost;
 * this is the reconstruction of plants.md [R]: a shadow of width D with soft edges w.
 *   f(x) = Vfs·[1 − σ((x − (h1 − D))/w)·σ((h1 − x)/w)],  σ(z) = 1/(1 + e^−z)
 * Detector k (1…3) sees f(x + (k − 1)·spacing); detector 3 is nearest the coil.
 */
export interface OpticalGeometry {
  readonly fullScale_V: number;
  readonly h1_m: number;
  readonly D_m: number;
  readonly w_m: number;
}

export function opticalDetector(g: OpticalGeometry, x_m: number): number {
  const rising = 1 / (1 + Math.exp(-(x_m - (g.h1_m - g.D_m)) / g.w_m));
  const falling = 1 / (1 + Math.exp(-(g.h1_m - x_m) / g.w_m));
  return g.fullScale_V * (1 - rising * falling);
}
