import { describe, expect, it } from 'vitest';
import { ControllerFirmware } from '../../../firmware-sim/firmware-link.ts';
import { computeMetrics } from '../../helpers/batch-metrics.ts';
import { ColumnStore, TeeSink } from '../../../firmware-sim/recorder.ts';
import { buildRun } from '../../../firmware-sim/scenario/build.ts';
import { listBuiltinScenarios, loadScenario } from '../../../firmware-sim/scenario/load.ts';
import { simulationColumns } from '../../../firmware-sim/simulation.ts';
import { judgedSpec } from '../../../run/judged.ts';
import { simulate } from '../../../run/simulate.ts';
import type { Plant, RecordedRun } from '../../../plants/plant.ts';
import { INTERLOCK_BITS } from '../../../plants/hypothermia/interlock-flags.ts';
import { nearestSegmentDistance } from '../../../plants/robot/geometry.ts';
import { insideObstacle } from '../../../plants/robot/map.ts';
import { NAV_STATUS, type PioneerRobot } from '../../../plants/robot/robot.ts';
import { GOAL_TOLERANCE_M } from '../../../plants/robot/robot-metrics.ts';
import { RunRecord, expectedRows } from '../../../run/record/run-record.ts';

// The batch plant metrics as they were before the online recorders (commit bbfad6f), kept here only
// as the reference the recorders must reproduce bit for bit.

function maglevBatch(run: RecordedRun, x_max_m: number): Record<string, number> {
  const x = run.column('x_m');
  if (!x || x.length === 0) return {};
  let min = Infinity;
  let max = -Infinity;
  let magnet = 0;
  let floor = 0;
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v <= 0) magnet++;
    if (v >= x_max_m) floor++;
  }
  return {
    x_min_m: min,
    x_max_m: max,
    magnet_contact_samples: magnet,
    floor_contact_samples: floor,
  };
}

function solarBatch(run: RecordedRun): Record<string, number> {
  const last = (name: string): number => {
    const c = run.column(name);
    return c && c.length ? c[c.length - 1] : NaN;
  };
  const Wh = 1 / 3600;
  const panel = last('E_panel_J') * Wh;
  const stepper = last('E_stepper_J') * Wh;
  const fixed = last('E_fixed_J') * Wh;
  const cont = last('E_continuous_J') * Wh;
  const ideal = last('E_ideal5_J') * Wh;
  const lcd = run.column('lcd_position');
  let changes = 0;
  if (lcd) for (let k = 1; k < lcd.length; k++) if (lcd[k] !== lcd[k - 1]) changes++;
  return {
    E_panel_Wh: panel,
    E_stepper_Wh: stepper,
    E_net_Wh: panel - stepper,
    E_fixed_Wh: fixed,
    E_continuous_Wh: cont,
    E_ideal5_Wh: ideal,
    gain_vs_fixed: (panel - stepper) / fixed,
    gain_continuous_vs_fixed: cont / fixed,
    gain_ideal5_vs_fixed: ideal / fixed,
    position_changes: changes,
  };
}

function hypothermiaBatch(run: RecordedRun, target_C: number, band_C: number): Record<string, number> {
  const t = run.t;
  const TB = run.column('T_brain_C');
  const out: Record<string, number> = {};
  if (!TB || TB.length < 2) return out;
  const n = TB.length;
  let first = -1;
  for (let k = 0; k < n; k++) {
    if (Math.abs(TB[k] - target_C) <= band_C) {
      first = k;
      break;
    }
  }
  let inBand = 0;
  let span = 0;
  let minAfter = Infinity;
  if (first >= 0) {
    for (let k = first; k < n - 1; k++) {
      const h = t[k + 1] - t[k];
      span += h;
      if (Math.abs(TB[k] - target_C) <= band_C) inBand += h;
    }
    for (let k = first; k < n; k++) if (TB[k] < minAfter) minAfter = TB[k];
  }
  let minAll = Infinity;
  let maxRate = 0;
  for (let k = 0; k < n; k++) {
    if (TB[k] < minAll) minAll = TB[k];
    if (k > 0) {
      const rate = ((TB[k - 1] - TB[k]) / (t[k] - t[k - 1])) * 60;
      if (rate > maxRate) maxRate = rate;
    }
  }
  out.target_C = target_C;
  out.band_C = band_C;
  out.time_to_band_s = first >= 0 ? t[first] : NaN;
  out.time_in_band_after_entry_pct = first >= 0 && span > 0 ? (100 * inBand) / span : NaN;
  out.T_brain_min_C = minAll;
  out.T_brain_final_C = TB[n - 1];
  out.undershoot_C = Math.max(0, target_C - minAll);
  out.undershoot_below_band_C = Math.max(0, target_C - band_C - minAll);
  out.max_cooling_rate_C_per_min = maxRate;
  const TR = run.column('T_rectal_C');
  if (TR) out.T_rectal_final_C = TR[TR.length - 1];
  const alarm = run.column('alarm_code');
  let total = 0;
  for (const [name, bit] of Object.entries(INTERLOCK_BITS)) {
    let events = 0;
    if (alarm) {
      let prev = 0;
      for (let k = 0; k < alarm.length; k++) {
        const on = (alarm[k] & bit) !== 0 ? 1 : 0;
        if (on && !prev) events++;
        prev = on;
      }
    }
    out[`interlock_${name}_events`] = events;
    total += events;
  }
  out.interlock_events = total;
  return out;
}

function robotBatch(run: RecordedRun, robot: PioneerRobot): Record<string, number> {
  const t = run.t;
  const n = t.length;
  const col = (name: string): Float64Array => {
    const c = run.column(name);
    if (!c) throw new Error(`robot metrics: no recorded signal '${name}'`);
    return c;
  };
  const x = col('x_m');
  const y = col('y_m');
  const path = col('path_m');
  const collisions = col('collisions');
  const status = col('nav_status');
  const gx = run.column(robot.options.goalColumns[0]);
  const gy = run.column(robot.options.goalColumns[1]);

  let minClearance = Infinity;
  for (let k = 0; k < n; k++) {
    const d = insideObstacle(robot.map, x[k], y[k]) ? -1 : nearestSegmentDistance(robot.map.segments, x[k], y[k]);
    const c = d - robot.p.robot_radius_m;
    if (c < minClearance) minClearance = c;
  }
  const out: Record<string, number> = {
    path_length_m: path[n - 1] - path[0],
    min_clearance_m: minClearance,
    collisions: collisions[n - 1],
  };
  let tStatus = NaN;
  for (let k = 0; k < n; k++) {
    if (status[k] !== NAV_STATUS.running) {
      tStatus = t[k];
      break;
    }
  }
  const last = status[n - 1];
  out.nav_status = last;
  out.goal_reached_reported = last === NAV_STATUS.reached ? 1 : 0;
  out.goal_unreachable_reported = last === NAV_STATUS.unreachable ? 1 : 0;
  out.time_to_status_s = tStatus;
  const route = run.column('route_cost_m');
  if (route && route[n - 1] > 0) out.planned_route_m = route[n - 1];
  if (gx && gy) {
    const straight = Math.hypot(gx[0] - x[0], gy[0] - y[0]);
    const dEnd = Math.hypot(gx[n - 1] - x[n - 1], gy[n - 1] - y[n - 1]);
    let tGoal = NaN;
    for (let k = 0; k < n; k++) {
      if (Math.hypot(gx[k] - x[k], gy[k] - y[k]) <= GOAL_TOLERANCE_M) {
        tGoal = t[k];
        break;
      }
    }
    out.straight_line_m = straight;
    out.path_ratio = straight > 0 ? out.path_length_m / straight : NaN;
    out.final_goal_distance_m = dEnd;
    out.goal_reached = dEnd <= GOAL_TOLERANCE_M ? 1 : 0;
    out.time_to_goal_s = tGoal;
  }
  return out;
}

function plantBatch(plant: Plant, run: RecordedRun): Record<string, number> {
  const p = (plant as unknown as { p: Record<string, number> }).p;
  switch (plant.constructor.name) {
    case 'Maglev':
      return maglevBatch(run, p.x_max_m);
    case 'SolarTracker':
      return solarBatch(run);
    case 'Hypothermia':
      return hypothermiaBatch(run, p.target_C, p.band_C);
    case 'PioneerRobot':
      return robotBatch(run, plant as PioneerRobot);
    default:
      throw new Error(`no batch reference for plant ${plant.constructor.name}`);
  }
}

function expectSame(online: Record<string, number>, batch: Record<string, number>, label: string): void {
  expect(Object.keys(online), `${label}: keys`).toEqual(Object.keys(batch));
  for (const key of Object.keys(batch)) {
    if (!Object.is(online[key], batch[key])) throw new Error(`${label}: ${key} online ${online[key]} ≠ batch ${batch[key]}`);
  }
}

describe('RunRecord: online metrics on every built-in scenario equal the batch ones computed from the whole record', () => {
  it.each(listBuiltinScenarios())('%s', (name) => {
    const built = buildRun(loadScenario(name));
    const spec = judgedSpec(built, simulationColumns(built.config));
    const rows = expectedRows(built.config);
    const store = new ColumnStore();
    const record = new RunRecord({ plant: built.plant, spec, expectedRows: rows });
    simulate(built.config, new ControllerFirmware(built.controller, built.sensors, built.actuators), new TeeSink([store, record]));
    expect(store.rows).toBe(rows);
    expect(record.rows).toBe(rows);
    expect(record.lastTime).toBe(store.t[rows - 1]);
    const online = record.metrics() as Record<string, number>;
    const batch = { ...(spec ? computeMetrics(store, spec) : {}), ...plantBatch(built.plant, store) } as Record<string, number>;
    expect(Object.keys(record.plantMetrics!.result()).length).toBeGreaterThan(0);
    expectSame(online, batch, name);
  });
});
