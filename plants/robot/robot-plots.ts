import type { PlotRun } from '../plant.ts';
import { SONAR_COUNT, sonarHeading_rad, sonarX_m, sonarY_m } from './sonar.ts';
import type { PioneerRobot } from './robot.ts';

const MAX_PATH_POINTS = 800;
const MAX_HIT_POINTS = 1200;

/**
 * The report's map panel (Vega-Lite, data inlined, from whole rows): room and obstacles, the true path, the
 * odometric path, the sonar echoes (true pose + measured range), start and goal. Coordinates in mm.
 */
export function robotPlots(plotRun: PlotRun, robot: PioneerRobot): object[] {
  const { map, p } = robot;
  // Paths and echoes combine x, y, heading and ranges of one row: whole rows, never an envelope.
  const run = plotRun.sampledRows ?? plotRun;
  const t = run.t;
  const n = t.length;
  const x = run.column('x_m')!;
  const y = run.column('y_m')!;
  const th = run.column('theta_rad')!;
  const ox = run.column('odo_x_m')!;
  const oy = run.column('odo_y_m')!;

  const walls: { shape: string; i: number; x: number; y: number }[] = [];
  const r = map.room;
  [[r.xmin, r.ymin], [r.xmax, r.ymin], [r.xmax, r.ymax], [r.xmin, r.ymax], [r.xmin, r.ymin]].forEach(([a, b], i) =>
    walls.push({ shape: 'room', i, x: a * 1000, y: b * 1000 }),
  );
  map.obstacles.forEach((poly, k) => {
    const m = poly.length / 2;
    for (let i = 0; i <= m; i++) walls.push({ shape: map.obstacleNames[k], i, x: poly[2 * (i % m)] * 1000, y: poly[2 * (i % m) + 1] * 1000 });
  });

  const stride = Math.max(1, Math.ceil(n / MAX_PATH_POINTS));
  const paths: { trace: string; i: number; x: number; y: number }[] = [];
  for (let k = 0; k < n; k += stride) {
    paths.push({ trace: 'true path', i: k, x: x[k] * 1000, y: y[k] * 1000 });
    paths.push({ trace: 'odometry', i: k, x: ox[k] * 1000, y: oy[k] * 1000 });
  }
  if (n > 0) {
    paths.push({ trace: 'true path', i: n - 1, x: x[n - 1] * 1000, y: y[n - 1] * 1000 });
    paths.push({ trace: 'odometry', i: n - 1, x: ox[n - 1] * 1000, y: oy[n - 1] * 1000 });
  }

  const sonar = Array.from({ length: SONAR_COUNT }, (_, i) => run.column(`sonar${i}_m`)!);
  let echoes = 0;
  for (let k = 0; k < n; k++) for (let i = 0; i < SONAR_COUNT; i++) if (sonar[i][k] < p.sonar_max_m) echoes++;
  const hitStride = Math.max(1, Math.ceil(echoes / MAX_HIT_POINTS));
  const hits: { x: number; y: number }[] = [];
  let e = 0;
  for (let k = 0; k < n; k++) {
    const c = Math.cos(th[k]);
    const s = Math.sin(th[k]);
    for (let i = 0; i < SONAR_COUNT; i++) {
      const range = sonar[i][k];
      if (!(range < p.sonar_max_m)) continue;
      if (e++ % hitStride !== 0) continue;
      const sx = x[k] + c * sonarX_m[i] - s * sonarY_m[i];
      const sy = y[k] + s * sonarX_m[i] + c * sonarY_m[i];
      const h = th[k] + sonarHeading_rad[i];
      hits.push({ x: (sx + range * Math.cos(h)) * 1000, y: (sy + range * Math.sin(h)) * 1000 });
    }
  }

  const marks: { label: string; x: number; y: number }[] = [];
  if (n > 0) marks.push({ label: 'start', x: x[0] * 1000, y: y[0] * 1000 });
  const gx = run.column(robot.options.goalColumns[0]);
  const gy = run.column(robot.options.goalColumns[1]);
  if (gx && gy && n > 0) marks.push({ label: 'goal', x: gx[n - 1] * 1000, y: gy[n - 1] * 1000 });

  const width = 640;
  const height = Math.round((width * (r.ymax - r.ymin)) / (r.xmax - r.xmin));
  const xs = { domain: [r.xmin * 1000, r.xmax * 1000], nice: false };
  const ys = { domain: [r.ymin * 1000, r.ymax * 1000], nice: false };
  const enc = (extra: object) => ({
    x: { field: 'x', type: 'quantitative', title: 'x (mm)', scale: xs },
    y: { field: 'y', type: 'quantitative', title: 'y (mm)', scale: ys },
    ...extra,
  });
  return [
    {
      title: `Map '${map.name}': path and sonar echoes`,
      width,
      height,
      layer: [
        { data: { values: hits }, mark: { type: 'circle', size: 12, opacity: 0.5, color: '#d62728' }, encoding: enc({}) },
        {
          data: { values: walls },
          mark: { type: 'line', color: '#333', strokeWidth: 2 },
          encoding: enc({ detail: { field: 'shape', type: 'nominal' }, order: { field: 'i', type: 'quantitative' } }),
        },
        {
          data: { values: paths },
          mark: { type: 'line', strokeWidth: 1.5 },
          encoding: enc({
            color: { field: 'trace', type: 'nominal', title: null, scale: { range: ['#1f77b4', '#2ca02c'] } },
            order: { field: 'i', type: 'quantitative' },
          }),
        },
        {
          data: { values: marks },
          mark: { type: 'point', filled: true, size: 80, color: '#000' },
          encoding: enc({ shape: { field: 'label', type: 'nominal', title: null } }),
        },
      ],
    },
  ];
}
