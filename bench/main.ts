/**
 * `npm run bench`: every benchmark prints its figures as ratios against a reference measured in
 * the same run. `npm run bench -- maglev fuzzy` runs only the named ones.
 */
import { benchAnfis } from './anfis.ts';
import { benchFirmware } from './firmware.ts';
import { benchFuzzy } from './fuzzy.ts';
import { benchHil } from './hil.ts';
import { benchMaglev } from './maglev.ts';
import { benchTune } from './tune.ts';
import { benchDashboard } from './dashboard.ts';
import { benchCli } from './cli.ts';

const benches: Record<string, () => Promise<void>> = {
  maglev: benchMaglev,
  firmware: benchFirmware,
  tune: benchTune,
  anfis: benchAnfis,
  fuzzy: benchFuzzy,
  hil: benchHil,
  dashboard: benchDashboard,
  cli: benchCli,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
