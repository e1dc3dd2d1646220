import { describe, expect, it } from 'vitest';
import { P3DX_SONAR_POSES_MM_DEG } from '../../../plants/robot/index.ts';
import { S, Y } from '../../../plants/robot/robot.ts';
import { drive, makeRobot, measure, roomMap } from './helpers.ts';

describe('Pioneer 3-DX plant (plants.md §4)', () => {
  it('consistency test 12a: the 16 sonar poses are those of ARIA p3dx.p as quoted in plants.md', () => {
    // Typed from plants.md §4 (front ring 0–7, rear ring 8–15), not from the code under test.
    const quoted = [
      [69, 136, 90], [114, 119, 50], [148, 78, 30], [166, 27, 10], [166, -27, -10], [148, -78, -30], [114, -119, -50], [69, -136, -90],
      [-157, -136, -90], [-203, -119, -130], [-237, -78, -150], [-255, -27, -170], [-255, 27, 170], [-237, 78, 150], [-203, 119, 130], [-157, 136, 90],
    ];
    expect(P3DX_SONAR_POSES_MM_DEG.map((p) => [...p])).toEqual(quoted);
  });

  it('consistency test 12b: 10 s at 100 mm/s covers 1000 mm, odometry error off', () => {
    const robot = makeRobot();
    const x0 = robot.initialState();
    x0[S.vL] = 0.1;
    x0[S.vR] = 0.1;
    const x = drive(robot, 0.1, 0.1, 10, x0);
    expect(x[S.x] * 1000).toBeCloseTo(1000, 6);
    expect(x[S.y]).toBeCloseTo(0, 12);
    expect(x[S.path] * 1000).toBeCloseTo(1000, 6);
    expect(x[S.odoX]).toBe(x[S.x]);
  });

  it('starting from rest, the acceleration limit costs v²/(2a) plus the speed-loop lag (closed form)', () => {
    // Rate-limited at 0.3 m/s² until (0.1 − v)/τ = 0.3, i.e. v = 0.085 m/s; then first order with τ = 0.05 s.
    const a = 0.3;
    const tau = 0.05;
    const v1 = 0.1 - a * tau;
    const lag = 0.1 * (v1 / a) - (v1 * v1) / (2 * a) + (0.1 - v1) * tau;
    const x = drive(makeRobot(), 0.1, 0.1, 10);
    expect(x[S.x]).toBeCloseTo(1 - lag, 4);
  });

  it('turns on the spot at ω = (vR − vL)/b and saturates wheel speeds at 1 m/s', () => {
    const robot = makeRobot();
    const x0 = robot.initialState();
    x0[S.vL] = -0.165;
    x0[S.vR] = 0.165;
    const x = drive(robot, -0.165, 0.165, 2, x0);
    expect(x[S.theta]).toBeCloseTo(2 * (0.33 / 0.33), 9); // ω = 1 rad/s for 2 s
    expect(Math.hypot(x[S.x], x[S.y])).toBeLessThan(1e-12);
    const fast = drive(robot, 3, 3, 8);
    expect(fast[S.vL]).toBeCloseTo(1, 9);
  });

  it('odometry: a systematic 1 % scale error gives 1 % more distance; random error stays within ±0.75 %', () => {
    const biased = makeRobot({ odo_bias_lin: 0.01 });
    const x0 = biased.initialState();
    x0[S.vL] = 0.1;
    x0[S.vR] = 0.1;
    const x = drive(biased, 0.1, 0.1, 10, x0);
    expect(x[S.odoX]).toBeCloseTo(1.01, 6);
    const noisy = makeRobot({ odo_error_per_unit: 0.0075 });
    const x1 = noisy.initialState();
    x1[S.vL] = 0.1;
    x1[S.vR] = 0.1;
    const y = drive(noisy, 0.1, 0.1, 10, x1);
    expect(Math.abs(y[S.odoX] - 1)).toBeLessThan(0.0075);
    expect(y[S.odoX]).not.toBe(1);
    // Same seed, same drift.
    const again = drive(makeRobot({ odo_error_per_unit: 0.0075 }), 0.1, 0.1, 10, (() => { const z = noisy.initialState(); z[S.vL] = 0.1; z[S.vR] = 0.1; return z; })());
    expect(again[S.odoX]).toBe(y[S.odoX]);
  });

  it('sonar: single ray against a wall 2 m ahead, (2 − x_s)/cos(heading) ± 0.5 mm; empty sides read 5 m', () => {
    const robot = makeRobot({}, roomMap([[[2000, -3000], [2100, -3000], [2100, 3000], [2000, 3000]]]));
    const y = measure(robot, robot.initialState());
    const rad = Math.PI / 180;
    expect(Math.abs(y[3] - (2 - 0.166) / Math.cos(10 * rad))).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(y[4] - (2 - 0.166) / Math.cos(10 * rad))).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(y[5] - (2 - 0.148) / Math.cos(30 * rad))).toBeLessThanOrEqual(0.0005);
    expect(y[0]).toBe(5); // 10 m to the side wall: beyond range
    expect(y[11]).toBe(5);
    expect(y[Y.poseX]).toBe(0);
  });

  it('sonar: a ray fan over the 30° field of view returns the nearest echo; ranges clip at 0.1 m', () => {
    const wall = [[[2000, -3000], [2100, -3000], [2100, 3000], [2000, 3000]]];
    const fan = makeRobot({ sonar_rays: 7, sonar_noise_m: 0 }, roomMap(wall));
    const y = measure(fan, fan.initialState());
    // Sonar 3 points at 10°; 7 rays over 30° lie at −5°, 0°, 5°, … 25°: the 0° ray meets the wall square on.
    expect(y[3]).toBeCloseTo(2 - 0.166, 12);
    // A wall 255 mm ahead (just clear of the 250 mm body): the front sonars would read < 0.1 m.
    const close = makeRobot({ sonar_noise_m: 0 }, roomMap([[[255, -3000], [355, -3000], [355, 3000], [255, 3000]]]));
    expect(measure(close, close.initialState())[3]).toBe(0.1);
  });

  it('counts a collision once per contact and reports it', () => {
    const robot = makeRobot({}, roomMap([[[1000, -500], [1500, -500], [1500, 500], [1000, 500]]]));
    const inside = drive(robot, 0.3, 0.3, 4);
    expect(inside[S.collisions]).toBe(1);
    expect(inside[S.contact]).toBe(1);
    // Driving on through the (unresolved) obstacle ends the contact; the count stays.
    const through = drive(robot, 0.3, 0.3, 6, inside);
    expect(through[S.contact]).toBe(0);
    expect(through[S.collisions]).toBe(1);
  });

  it('refuses a start inside an obstacle', () => {
    expect(() => makeRobot({}, roomMap([[[-500, -500], [500, -500], [500, 500], [-500, 500]]]))).toThrow(/inside an obstacle/);
  });

  it('refuses a start whose 250 mm body already touches a wall, and accepts one just clear of it', () => {
    // Start at the origin; an obstacle edge at x = 200 mm is closer than the robot radius.
    const near = roomMap([[[200, -500], [1200, -500], [1200, 500], [200, 500]]]);
    expect(() => makeRobot({ x0_m: 0, y0_m: 0 }, near)).toThrow(/0\.200 m from a wall .* less than the robot radius 0\.25 m/);
    const clear = roomMap([[[260, -500], [1260, -500], [1260, 500], [260, 500]]]);
    expect(() => makeRobot({ x0_m: 0, y0_m: 0 }, clear)).not.toThrow();
  });
});
