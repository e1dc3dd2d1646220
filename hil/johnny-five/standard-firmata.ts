import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE = 'avrgirl-arduino@5.0.1';
const MEMBER = 'package/junk/hex/uno/StandardFirmata.cpp.hex';

/**
 * StandardFirmata for the Uno, as shipped inside the avrgirl-arduino package: `npm pack` fetches the
 * tarball into `cacheDir` and only that one hex is extracted (the package is not installed — one
 * of its dependencies is a GitHub tarball — and the hex is never committed). Returns the hex path.
 */
export function fetchStandardFirmata(cacheDir: string): string {
  const hex = join(cacheDir, 'StandardFirmata.cpp.hex');
  if (existsSync(hex)) return hex;
  mkdirSync(cacheDir, { recursive: true });
  const out = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', cacheDir], { encoding: 'utf8' }).trim().split('\n').pop() as string;
  const tgz = join(cacheDir, out);
  execFileSync('tar', ['-xzf', tgz, '-C', cacheDir, MEMBER]);
  renameSync(join(cacheDir, MEMBER), hex);
  return hex;
}
