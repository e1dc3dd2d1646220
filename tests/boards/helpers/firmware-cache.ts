/**
 * Generated firmware built once per content: sketches are hashed, built in a shared temp cache
 * (Arduino core compiled once, under a lock) and reused across test files and runs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFirmware, codeSize, type BuildResult } from '../../../boards/build.ts';
import type { GeneratedFirmware } from '../../../boards/firmware/generate.ts';

export const cacheDir = join(tmpdir(), 'hilbench-firmware-cache');

export function buildCached(g: GeneratedFirmware): BuildResult {
  const h = createHash('sha256');
  for (const [name, text] of Object.entries(g.files).sort(([a], [b]) => a.localeCompare(b))) h.update(name).update('\0').update(text).update('\0');
  const key = h.digest('hex').slice(0, 16);
  const dir = join(cacheDir, `${g.sketch}-${key}`);
  const hexFile = join(dir, 'build', `${g.sketch}.hex`);
  const elfFile = join(dir, 'build', `${g.sketch}.elf`);
  if (existsSync(hexFile)) return { hexFile, elfFile, ...codeSize(elfFile) };
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, 'tmp-'));
  for (const [name, text] of Object.entries(g.files)) writeFileSync(join(tmp, name), text);
  buildFirmware(tmp, { coreBuildDir: join(cacheDir, `core-${g.target.boardDef}`) });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another worker finished the same build first
  }
  return { hexFile, elfFile, ...codeSize(elfFile) };
}
