import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PidFixedController } from '../../../controllers/fixed-point/pid-fixed-controller.ts';
import type { FirmwareDescription } from '../description.ts';
import { pidFixedC } from './pid-fixed-c.ts';
import { SolarFuzzyController } from '../../../controllers/solar-tracker/solar-fuzzy-controller.ts';
import { solarFuzzyC } from './solar-fuzzy-c.ts';
import { SugenoFixedController } from '../../../controllers/fixed-point/sugeno-fixed-controller.ts';
import { sugenoFixedC } from './sugeno-fixed-c.ts';

/** C for the scenario's controller: controller.cpp plus any helper headers it includes. */
export interface ControllerSource {
  readonly files: Readonly<Record<string, string>>;
}

const templateDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates');
const template = (name: string) => readFileSync(join(templateDir, name), 'utf8');

/** Controller types that have a C generator; everything else is refused with this list. */
export const firmwareControllerTypes = ['pid-fixed', 'sugeno-fixed', 'solar-fuzzy-pic', 'solar-winter-fix'] as const;

export function controllerC(built: FirmwareDescription): ControllerSource {
  const c = built.controller;
  const type = built.controllerType;
  const refIndexOf = (name: string) => built.references.indexOf(name);
  if (c instanceof PidFixedController) {
    checkPidChannels(built, c);
    return {
      files: {
        'fixed_point.h': template('fixed_point.h'),
        'controller.cpp': pidFixedC(c.pid.k, {
          sensorIndex: 0,
          refIndex: refIndexOf(c.references[0]),
          actuatorIndex: 0,
          origin: `scenario '${built.name}', kp ${c.spec.kp}, ki ${c.spec.ki}, kd ${c.spec.kd}, Ts ${c.spec.Ts} s`,
        }),
      },
    };
  }
  if (c instanceof SugenoFixedController) {
    checkSugenoChannels(built, c);
    return {
      files: {
        'fixed_point.h': template('fixed_point.h'),
        'controller.cpp': sugenoFixedC(c.fixed.m, `scenario '${built.name}', model ${built.controllerModel}`),
      },
    };
  }
  if (c instanceof SolarFuzzyController) {
    return { files: { 'controller.cpp': solarFuzzyC(c, { sensors: built.sensors, actuators: built.actuators, origin: `scenario '${built.name}', ${type}` }) } };
  }
  throw new Error(
    `controller type '${type}' has no firmware generator (types with one: ${firmwareControllerTypes.join(', ')}); for a PID use 'pid-fixed'`,
  );
}

/** The converters written into the pid-fixed parameters must be the scenario's, or sim and board would differ. */
function checkPidChannels(built: FirmwareDescription, c: PidFixedController): void {
  const ch = built.sensors[0];
  const sp = c.spec.sensor;
  const mismatch: string[] = [];
  if (ch.kind !== 'adc' || ch.bits !== sp.bits || ch.vref !== sp.vref || ch.gain !== sp.gain || ch.offset !== sp.offset) {
    mismatch.push(
      `controller.sensor ${JSON.stringify({ bits: sp.bits, vref: sp.vref, gain: sp.gain, offset: sp.offset })} differs from sensor '${ch.name}' ${JSON.stringify({ kind: ch.kind, bits: ch.bits, vref: ch.vref, gain: ch.gain, offset: ch.offset })}`,
    );
  }
  const a = built.actuators[0];
  const ap = c.spec.actuator;
  if (a.kind !== ap.kind || a.bits !== ap.bits || a.min !== ap.min || a.max !== ap.max || (a.kind === 'digital' && a.lsb !== ap.lsb)) {
    mismatch.push(`controller.actuator ${JSON.stringify(ap)} differs from actuator '${a.name}' ${JSON.stringify({ kind: a.kind, bits: a.bits, min: a.min, max: a.max, lsb: a.lsb })}`);
  }
  if (mismatch.length) throw new Error(mismatch.join('; '));
}

/** As for pid-fixed: the converters in the parameters must be the scenario's channels. */
function checkSugenoChannels(built: FirmwareDescription, c: SugenoFixedController): void {
  const bad: string[] = [];
  built.sensors.forEach((ch) => {
    const sp = c.spec.sensors[ch.name];
    if (ch.kind !== 'adc' || ch.bits !== sp.bits || ch.vref !== sp.vref || ch.gain !== sp.gain || ch.offset !== sp.offset) {
      bad.push(`controller.sensors.${ch.name} differs from the scenario's sensor (${ch.kind}, ${ch.bits} bits, vref ${ch.vref}, gain ${ch.gain}, offset ${ch.offset})`);
    }
  });
  built.actuators.forEach((a) => {
    const ap = c.spec.actuators[a.name];
    if (a.kind !== ap.kind || a.bits !== ap.bits || a.min !== ap.min || a.max !== ap.max || (a.kind === 'digital' && a.lsb !== ap.lsb)) {
      bad.push(`controller.actuators.${a.name} differs from the scenario's actuator (${a.kind}, ${a.bits} bits, ${a.min} … ${a.max})`);
    }
  });
  if (bad.length) throw new Error(bad.join('; '));
}
