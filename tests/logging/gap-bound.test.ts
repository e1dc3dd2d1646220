import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveSource } from '../../hil/live/live-source.ts';
import { LogRecorder, MAX_META_GAPS } from '../../hil/logging/log-recorder.ts';

const root = mkdtempSync(join(tmpdir(), 'hilbench-gaps-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const meta = { port: '/dev/ttyFAKE', baud: 115200, host: 'test', version: 'test' };

function gapsIn(dir: string): { gapCount: number; gaps: { reopened_s: number; reason: string }[] } {
  return JSON.parse(readFileSync(join(dir, 'log.meta.json'), 'utf8'));
}

describe('a log whose port drops again and again keeps a bounded gap list', () => {
  const dir = join(root, 'log');

  it('log.meta.json holds the latest gaps and counts them all; log.ndjson has every one', () => {
    const rec = new LogRecorder({ dir, meta });
    const source = new LiveSource('log', 'test');
    rec.attach(source);
    source.setColumns(['t_s', 'x'], {});
    for (let i = 0; i < 250; i++) {
      source.push({ row: Float64Array.of(i, i) });
      source.event({ type: 'gap', closed_s: i + 0.1, reopened_s: i + 0.5, lastSample_s: i, reason: `drop ${i}` });
    }
    rec.close('closed');
    const m = gapsIn(dir);
    expect(m.gapCount).toBe(250);
    expect(m.gaps).toHaveLength(MAX_META_GAPS);
    expect(m.gaps[0].reason).toBe(`drop ${250 - MAX_META_GAPS}`);
    expect(m.gaps[MAX_META_GAPS - 1].reason).toBe('drop 249');
    const ndGaps = readFileSync(join(dir, 'log.ndjson'), 'utf8').split('\n').filter((l) => l.startsWith('{"type":"gap"'));
    expect(ndGaps).toHaveLength(250);
  });

  it('a resumed log counts the earlier gaps from log.ndjson and the resume as one more', () => {
    const rec = new LogRecorder({ dir, meta, resume: true });
    rec.close('closed');
    const m = gapsIn(dir);
    expect(m.gapCount).toBe(251);
    expect(m.gaps).toHaveLength(MAX_META_GAPS);
    expect(m.gaps[MAX_META_GAPS - 1].reason).toMatch(/^resumed after the logger stopped/);
    expect(m.gaps[MAX_META_GAPS - 2].reason).toBe('drop 249');
  });
});
