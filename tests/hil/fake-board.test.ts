/**
 * Against a fake board (tests/hil/fixtures/fake-board.ts) behind a real socat pty.
 *
 * Counts outside a channel's range are malformed (docs/protocol.md §1): the host must never apply
 * them to the plant (hil: `A` actuator counts) or feed them to the controller (io: `M` sensor
 * counts). A fake board behind a real socat pty sends them with correct CRCs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, freshDir, repoRoot, waitFor } from './helpers.ts';

const fake = join(repoRoot, 'tests/hil/fixtures/fake-board.ts');
const boards: ChildProcess[] = [];
afterAll(() => {
  for (const b of boards) if (b.exitCode === null && b.signalCode === null) b.kill('SIGTERM');
});

async function fakeBoard(device: string, args: string[]): Promise<void> {
  const cmd = `${process.execPath} --import tsx ${fake} ${args.join(' ')}`;
  const p = spawn('socat', [`PTY,link=${device},raw,echo=0`, `EXEC:${cmd}`], { cwd: repoRoot, stdio: 'ignore' });
  boards.push(p);
  await waitFor(() => existsSync(device), 10_000, 'the fake board pty');
}

function events(out: string): Record<string, unknown>[] {
  return readFileSync(join(out, 'link.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

describe('out-of-range counts from the board', () => {
  it('hil: A with 100000 counts is retransmitted twice, then the run fails naming the actuator; nothing applied', async () => {
    const dir = freshDir('hilbench-oor-');
    const device = join(dir, 'ttyFAKE');
    await fakeBoard(device, ['hil', 'hil/maglev-fixed', '0', '100000']);
    const out = join(dir, 'run');
    const c = cli(['hil', 'run', 'maglev-fixed', '--port', device, '--out', out, '--handshake-ms', '10000']);
    const code = await c.done;
    expect(code, c.stderr).toBe(1);
    const err = c.stderr.trim().split('\n');
    expect(err, c.stderr).toHaveLength(1);
    expect(err[0]).toMatch(/^hilbench: .*answered A 0 with actuator 'i_cmd_A' = 100000 counts, outside its range 0 … 255 \(3 attempt\(s\)\)/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.link_malformed).toBe(3);
    expect(metrics.link_retries).toBe(2);
    // The plant never saw the count: no tick completed.
    expect(readFileSync(join(out, 'run.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(1);
    const last = events(out).at(-1)!;
    expect(last.event).toBe('fault');
    expect(String(last.reason)).toMatch(/actuator 'i_cmd_A' = 100000 counts/);
  }, 60_000);

  it('io: M with 5000 counts on a 10-bit ADC ends the run naming the sensor; earlier samples kept', async () => {
    const dir = freshDir('hilbench-oor-');
    const device = join(dir, 'ttyFAKE');
    // 200 warm-up exchanges and 50 ticks of the run get in-range counts.
    await fakeBoard(device, ['io', 'io/generic', '250', '5000']);
    const out = join(dir, 'run');
    // At 1 Mbaud the 1 ms period fits on the line, so the refusal is the only line on stderr.
    const c = cli(['hil', 'run', 'maglev-fixed', '--mode', 'io', '--port', device, '--out', out, '--handshake-ms', '10000', '--baud', '1000000']);
    const code = await c.done;
    expect(code, c.stderr).toBe(1);
    const err = c.stderr.trim().split('\n');
    expect(err, c.stderr).toHaveLength(1);
    expect(err[0]).toMatch(/sensor 'x_meas_m' = 5000 counts, outside its range 0 … 1023/);
    const rows = readFileSync(join(out, 'run.csv'), 'utf8').trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(50);
    const col = readFileSync(join(out, 'run.csv'), 'utf8').split('\n')[0].split(',').indexOf('x_meas_m_counts');
    for (const r of rows) expect(Number(r.split(',')[col])).toBe(1);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.status).toBe('failed');
    expect(metrics.link_malformed).toBe(1);
    expect(events(out).at(-1)!.event).toBe('fault');
  }, 60_000);
});

describe('link.ndjson records every failure', () => {
  async function run(fakeArgs: string[], hilArgs: string[]) {
    const dir = freshDir('hilbench-ndj-');
    const device = join(dir, 'ttyFAKE');
    await fakeBoard(device, fakeArgs);
    const out = join(dir, 'run');
    const c = cli(['hil', 'run', 'maglev-fixed', '--port', device, '--out', out, '--handshake-ms', '10000', ...hilArgs]);
    return { code: await c.done, stderr: c.stderr, out };
  }

  it('wrong firmware after READY: a fault record naming it', async () => {
    const r = await run(['hil', 'hil/solar', '0', '1'], []);
    expect(r.code, r.stderr).toBe(1);
    const last = events(r.out).at(-1)!;
    expect(last.event).toBe('fault');
    expect(String(last.reason)).toMatch(/^wrong firmware on the board: it runs 'hil\/solar'/);
    expect(r.stderr).toContain(String(last.reason));
  }, 60_000);

  it('the board refuses WD: a fault record', async () => {
    const r = await run(['hil', 'hil/maglev-fixed', '0', '1', 'wd-err'], ['--watchdog-ms', '200']);
    expect(r.code, r.stderr).toBe(1);
    const last = events(r.out).at(-1)!;
    expect(last).toMatchObject({ event: 'fault', reason: 'the board refused WD 200: ERR 5 range' });
  }, 60_000);

  it('a WD acknowledgement that does not echo the period sent is refused after the retries: a fault record', async () => {
    const r = await run(['hil', 'hil/maglev-fixed', '0', '1', 'wd-wrong'], ['--watchdog-ms', '200']);
    expect(r.code, r.stderr).toBe(1);
    const last = events(r.out).at(-1)!;
    expect(last.event).toBe('fault');
    expect(String(last.reason)).toMatch(/answered WD with WD 201, not the 200 ms sent \(3 attempt\(s\)\)/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('FAULT and ERR frames that answer no request are logged and counted', async () => {
    const r = await run(['hil', 'hil/maglev-fixed', '1000000', '1', 'wd-noise'], ['--watchdog-ms', '200', '--duration', '0.05']);
    expect(r.code, r.stderr).toBe(0);
    const board = events(r.out).filter((e) => e.event === 'board');
    expect(board.map((e) => e.frame)).toEqual([
      { type: 'ERR', code: 3, text: 'syntax' },
      { type: 'FAULT', reason: 'WATCHDOG' },
    ]);
    const metrics = JSON.parse(readFileSync(join(r.out, 'metrics.json'), 'utf8'));
    expect(metrics.link_errFrames).toBe(1);
  }, 60_000);
});


describe('a period the serial line cannot carry is named before the run', () => {
  async function run(fakeArgs: string[], scenario: string, hilArgs: string[]) {
    const dir = freshDir('hilbench-wire-');
    const device = join(dir, 'ttyFAKE');
    await fakeBoard(device, fakeArgs);
    const c = cli(['hil', 'run', scenario, '--port', device, '--out', join(dir, 'run'), '--handshake-ms', '10000', '--duration', '0.05', ...hilArgs]);
    return { code: await c.done, stderr: c.stderr };
  }

  it('io at 115200 baud, Ts = 1 ms: one warning line; at 1 Mbaud none', async () => {
    const slow = await run(['io', 'io/generic', '1000000', '1'], 'maglev', ['--mode', 'io']);
    expect(slow.code, slow.stderr).toBe(0);
    // 'X 49 255*HHHH\n' and 'M 49 1023*HHHH\n': 29 bytes of 10 bits at 115200 baud.
    expect(slow.stderr).toBe('hilbench: warning: at 115200 baud one X/M exchange is up to 29 bytes, 2.52 ms on the serial line, longer than Ts = 1 ms: the board cannot keep the period (raise Ts, or build the firmware for a higher baud rate and pass it with --baud)\n');
    const fast = await run(['io', 'io/generic', '1000000', '1'], 'maglev', ['--mode', 'io', '--baud', '1000000']);
    expect(fast.code, fast.stderr).toBe(0);
    expect(fast.stderr).toBe('');
  }, 60_000);

  it('hil mode does not warn, even with --realtime: the simulated plant waits for every answer', async () => {
    const realtime = await run(['hil', 'hil/maglev-fixed', '1000000', '1'], 'maglev-fixed', ['--realtime']);
    expect(realtime.code, realtime.stderr).toBe(0);
    expect(realtime.stderr).toBe('');
  }, 60_000);
});
