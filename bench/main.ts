/**
 * `npm run bench`: every benchmark prints its figures as ratios against a reference measured in
 * the same run. `npm run bench -- maglev fuzzy` runs only the named ones.
 */
import { benchAnfis } from './anfis.ts';
import { benchFirmware, benchFirmwarePic } from './firmware.ts';
import { benchFuzzy } from './fuzzy.ts';
import { benchHil } from './hil.ts';
import { benchPicDay } from './pic-day.ts';
import { benchMaglev } from './maglev.ts';
import { benchRun } from './run.ts';
import { benchTune } from './tune.ts';
import { benchDashboard } from './dashboard.ts';
import { benchCli } from './cli.ts';
import { benchCrc } from './crc.ts';

const benches: Record<string, () => Promise<void>> = {
  maglev: benchMaglev,
  firmware: async () => {
    await benchFirmware();
    await benchFirmwarePic();
  },
  tune: benchTune,
  anfis: benchAnfis,
  fuzzy: benchFuzzy,
  hil: benchHil,
  'pic-day': benchPicDay,
  dashboard: benchDashboard,
  run: benchRun,
  cli: benchCli,
  crc: benchCrc,
};

/** Checks that take many minutes run only when named (`npm run bench -- pic-day`). */
const onlyWhenNamed = new Set(['pic-day']);

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (wanted.length ? !wanted.includes(name) : onlyWhenNamed.has(name)) continue;
  console.log(`\n== ${name} ==`);
  await run();
}
