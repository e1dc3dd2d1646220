import { ControllerFirmware } from '../../firmware-sim/firmware-link.ts';
import { buildRun, type BuiltRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import type { ColumnStore } from '../../firmware-sim/recorder.ts';
import { simulateBuilt } from '../evaluate.ts';
import { analyseRelay, type RelayEstimate } from './analyse.ts';
import { RelayController, type RelayOptions } from './relay-controller.ts';
import { fopdtFromPoint, fopdtRules, ultimateRules, type Fopdt, type TuningRule } from './rules.ts';
import { UserError } from '../../errors/user-error.ts';

export interface RelayExperimentOptions {
  readonly scenario: string;
  readonly baseSets?: readonly string[];
  /** Default: 10 % of the first actuator's range. */
  readonly amplitude?: number;
  /** Default: the controller's `bias` (0 if none). */
  readonly bias?: number;
  /** Default: 10 % of the amplitude, enough for the static gain (SIMC/AMIGO); 0 = symmetric. */
  readonly asymmetry?: number;
  readonly hysteresis?: number;
  /** Default: the controller's `direction` ('direct' if none). */
  readonly direction?: 'direct' | 'reverse';
  readonly duration?: number;
  readonly cycles?: number;
}

export interface RelayExperiment {
  readonly relay: RelayOptions;
  readonly estimate: RelayEstimate;
  readonly fopdt?: Fopdt;
  readonly rules: readonly TuningRule[];
  readonly built: BuiltRun;
  readonly store: ColumnStore;
  /** Columns analysed: command (plant input) and measurement (the controller's input). */
  readonly commandColumn: string;
  readonly measurementColumn: string;
}

/**
 * The relay experiment in simulation: the scenario's controller is replaced by a relay on the same
 * sensor and actuator channels (so ADC/PWM quantisation and the control period are those of the
 * real loop), the run is recorded in memory and analysed.
 */
export function runRelayExperiment(o: RelayExperimentOptions): RelayExperiment {
  const built = buildRun(loadScenario(o.scenario, { set: o.baseSets, duration: o.duration }));
  const ctl = built.scenario.controller as Record<string, unknown>;
  const act = built.scenario.actuators.find((a) => a.name === built.controller.outputs[0])!;
  if (built.controller.inputs.length !== 1 || built.controller.outputs.length !== 1 || built.controller.references.length !== 1) {
    throw new UserError(`--method relay: needs a single-loop controller (one input, one reference, one output); '${built.scenario.name}' has ${built.controller.inputs.length}/${built.controller.references.length}/${built.controller.outputs.length}`);
  }
  const relay: RelayOptions = {
    amplitude: o.amplitude ?? 0.1 * (act.max - act.min),
    bias: o.bias ?? (typeof ctl.bias === 'number' ? ctl.bias : 0),
    asymmetry: o.asymmetry ?? 0.1 * (o.amplitude ?? 0.1 * (act.max - act.min)),
    hysteresis: o.hysteresis ?? 0,
    direction: o.direction ?? (ctl.direction === 'reverse' ? 'reverse' : 'direct'),
  };
  if (!(relay.amplitude > 0)) throw new UserError(`--relay-amplitude: must be > 0 (got ${relay.amplitude})`);
  const controller = new RelayController(
    { inputs: built.controller.inputs, references: built.controller.references, outputs: built.controller.outputs },
    relay,
  );
  const run = simulateBuilt(built, { keepRun: true, link: (b) => new ControllerFirmware(controller, b.sensors, b.actuators) });
  if (run.metrics.status === 'failed') throw new UserError(`relay experiment stopped: ${run.metrics.error}`);
  const store = run.store!;
  const commandColumn = built.plant.inputs[built.actuators[0].inputIndex].name;
  const measurementColumn = built.controller.inputs[0];
  const refColumn = store.column(built.controller.references[0])!;
  const estimate = analyseRelay(store.t, store.column(commandColumn)!, store.column(measurementColumn)!, {
    amplitude: relay.amplitude,
    bias: relay.bias,
    reference: refColumn[refColumn.length - 1],
    cycles: o.cycles,
  });
  const fopdt = Number.isFinite(estimate.K) ? fopdtFromPoint(estimate.K, estimate.Ku, estimate.Pu_s, estimate.phase_deg) : undefined;
  const rules = [...ultimateRules(estimate.Ku, estimate.Pu_s), ...(fopdt ? fopdtRules(fopdt) : [])];
  return { relay, estimate, fopdt, rules, built, store, commandColumn, measurementColumn };
}
