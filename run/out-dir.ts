import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors/user-error.ts';
import { prepareOutDir } from '../errors/out-path.ts';

/** Every file a run (sim, hil or io) writes into its directory. */
export const RUN_FILES = ['run.csv', 'run.meta.json', 'metrics.json', 'report.html', 'plot.svg', 'link.ndjson'] as const;

/**
 * Makes `dir` ready for a run before anything else happens: created if missing and checked
 * writable; a previous run there is replaced (its files removed first, so no file of the old run
 * sits beside the new one; the returned note says so), and so is what a run refused at the
 * handshake leaves (link.ndjson only: files a run writes, no run.meta.json); a non-empty directory
 * that holds other files and no run is refused rather than mixed into.
 */
export function prepareRunDir(dir: string): { replaced: boolean } {
  prepareOutDir(dir);
  const entries = readdirSync(dir);
  if (entries.length === 0) return { replaced: false };
  const onlyRunFiles = entries.every((e) => (RUN_FILES as readonly string[]).includes(e) && statSync(join(dir, e)).isFile());
  if (!onlyRunFiles && (!existsSync(join(dir, 'run.meta.json')) || !statSync(join(dir, 'run.meta.json')).isFile())) {
    throw new UserError(`${dir} is not empty and holds no hilbench run: choose another --out (or empty it)`);
  }
  for (const f of RUN_FILES) rmSync(join(dir, f), { force: true });
  return { replaced: true };
}
