import { readFileSync } from 'node:fs';

/** hilbench's version, from package.json; written into every run's metadata. */
export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
