import type { Command } from 'commander';
import { buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { ControllerFirmware } from '../../firmware-sim/firmware-link.ts';
import { PlantMetricsSink } from '../../run/record/plant-metrics-sink.ts';
import { simulate } from '../../run/simulate.ts';

/** The three days and two axes of plants.md §2's reference table. */
export const SOLAR_DAYS: readonly { readonly label: string; readonly date: string }[] = [
  { label: 'equinox', date: '2025-03-20' },
  { label: 'june', date: '2025-06-21' },
  { label: 'december', date: '2025-12-21' },
];
export const SOLAR_AXES = ['horizontal', 'polar'] as const;

export interface SolarGainRow {
  readonly day: string;
  readonly date: string;
  readonly axis: string;
  readonly continuous: number;
  readonly ideal5: number;
  readonly seed: number;
  readonly winterFix: number;
  readonly seedMoves: number;
  readonly winterFixMoves: number;
  readonly fixed_Wh: number;
}

/** Runs one day of the `solar` scenario with a named controller and returns its energy metrics. */
export function runSolarDay(date: string, axis: string, controller: string, set: readonly string[] = []): Record<string, number> {
  const loaded = loadScenario('solar', {
    controller,
    set: [`plantOptions.date="${date}"`, `plantOptions.axis="${axis}"`, ...set],
  });
  const built = buildRun(loaded);
  const metrics = new PlantMetricsSink(built.plant);
  simulate(built.config, new ControllerFirmware(built.controller, built.sensors, built.actuators), metrics);
  return metrics.result();
}

/**
 * Daily energy gains relative to a fixed panel at 90° for the six cases of plants.md §2:
 * continuous and ideal five-position tracking (integrated by the plant under the same sky), the
 * seed's fuzzy firmware and the winter fix (each a full simulated day through the firmware seam).
 */
export function solarGainsTable(set: readonly string[] = []): SolarGainRow[] {
  const rows: SolarGainRow[] = [];
  for (const axis of SOLAR_AXES) {
    for (const d of SOLAR_DAYS) {
      const seed = runSolarDay(d.date, axis, 'seed', set);
      const fix = runSolarDay(d.date, axis, 'winter-fix', set);
      rows.push({
        day: d.label,
        date: d.date,
        axis,
        continuous: seed.gain_continuous_vs_fixed,
        ideal5: seed.gain_ideal5_vs_fixed,
        seed: seed.gain_vs_fixed,
        winterFix: fix.gain_vs_fixed,
        seedMoves: seed.position_changes,
        winterFixMoves: fix.position_changes,
        fixed_Wh: seed.E_fixed_Wh,
      });
    }
  }
  return rows;
}

export function registerSolar(program: Command): void {
  const solar = program.command('solar').description('solar tracker experiments (Odabaş 2009 seed)');
  solar
    .command('gains')
    .description('daily energy gain vs a fixed panel at 90°: continuous, ideal 5-position, seed fuzzy, winter fix; equinox/June/December × horizontal/polar axis')
    .option('--set <key=value>', 'override a value of the solar scenario (e.g. lat_deg=38.4); repeatable', (v: string, prev: string[]) => [...prev, v], [])
    .option('--json', 'print the table as JSON')
    .action((opts: { set: string[]; json?: boolean }) => {
      const rows = solarGainsTable(opts.set);
      if (opts.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      const f = (v: number): string => v.toFixed(2);
      const lines = [
        'axis        day        fixed Wh  continuous  ideal-5  seed fuzzy  winter fix  moves seed/fix',
        ...rows.map(
          (r) =>
            `${r.axis.padEnd(11)} ${r.day.padEnd(10)} ${r.fixed_Wh.toFixed(1).padStart(8)}  ${f(r.continuous).padStart(10)}  ${f(r.ideal5).padStart(7)}  ${f(r.seed).padStart(10)}  ${f(r.winterFix).padStart(10)}  ${String(r.seedMoves).padStart(5)}/${r.winterFixMoves}`,
        ),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
