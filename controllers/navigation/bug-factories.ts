import type { ControllerFactory } from '../controller.ts';
import { optionalNumber } from '../params.ts';
import { defaultBugSettings, type BugSettings } from './bug-base.ts';
import { Bug1Controller } from './bug1.ts';
import { Bug2Controller } from './bug2.ts';
import { DistBugController } from './distbug.ts';

const DEG = Math.PI / 180;

/** Reads the shared Bug settings from a scenario's controller object (all optional, defaults in bug-base.ts). */
export function bugSettings(p: Record<string, unknown>, plantParams: Record<string, number>): BugSettings {
  const d = defaultBugSettings;
  const pick = (key: string, fallback: number, positive = true): number => {
    const v = optionalNumber(p, key) ?? fallback;
    if (positive && !(v > 0)) throw new Error(`controller.${key}: must be > 0 (got ${v})`);
    return v;
  };
  return {
    speed_mps: pick('speed_mps', d.speed_mps),
    offset_m: pick('offset_m', d.offset_m),
    track_m: pick('track_m', plantParams.track_m ?? d.track_m),
    sonarMax_m: pick('sonarMax_m', plantParams.sonar_max_m ?? d.sonarMax_m),
    goalTolerance_m: pick('goalTolerance_m', d.goalTolerance_m),
    kTheta: pick('kTheta', d.kTheta),
    wMax_radps: pick('wMax_radps', d.wMax_radps),
    kOffset: pick('kOffset', d.kOffset),
    blockAngle_rad: pick('blockAngle_deg', d.blockAngle_rad / DEG) * DEG,
    arrive_m: pick('arrive_m', d.arrive_m),
    hitDistance_m: pick('hitDistance_m', (optionalNumber(p, 'offset_m') ?? d.offset_m) + d.hitDistance_m - d.offset_m),
  };
}

export const bug1Factory: ControllerFactory = {
  type: 'bug1',
  description: 'Bug1 on sonars: circle each obstacle, leave from the point closest to the goal (Lumelsky & Stepanov)',
  create: (p, ctx) => new Bug1Controller(bugSettings(p, ctx.plantParams)),
};

export const bug2Factory: ControllerFactory = {
  type: 'bug2',
  description: 'Bug2 on sonars: leave the boundary where it meets the start–goal line closer to the goal (Lumelsky & Stepanov)',
  create: (p, ctx) => new Bug2Controller(bugSettings(p, ctx.plantParams)),
};

export const distBugFactory: ControllerFactory = {
  type: 'distbug',
  description: 'DistBug on sonars: leave when d(X,T) − F ≤ d_min − Step or the goal is in free range (Kamon & Rivlin)',
  create: (p, ctx) => {
    const step = optionalNumber(p, 'step_m') ?? 0.2;
    if (!(step > 0)) throw new Error(`controller.step_m: must be > 0 (got ${step})`);
    const fAngle = (optionalNumber(p, 'freeRangeAngle_deg') ?? 20) * DEG;
    return new DistBugController(bugSettings(p, ctx.plantParams), step, fAngle);
  },
};
