import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { hilbench } from '../helpers/cli.ts';
import { cli, freshDir, waitFor, type Cli } from '../hil/helpers.ts';

// The dashboard's control token from a file or the environment: it stays out of the process list
// (/proc/<pid>/cmdline, what `ps` shows) and out of the printed address, and the page's controls
// still take it.
const children: Cli[] = [];
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
});

const SECRET = 'tok-3f9a1c77e2';

async function stopFromPage(source: 'file' | 'env'): Promise<void> {
  const dir = freshDir('hilbench-token-');
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, `${SECRET}\n`);
  const args = ['run', 'maglev', '--duration', '600', '--out', join(dir, 'run'), '--live', '127.0.0.1:0'];
  const run = source === 'file' ? cli([...args, '--token-file', tokenFile]) : cli(args, { HILBENCH_TOKEN: SECRET });
  children.push(run);
  const address = /dashboard: http:\/\/127\.0\.0\.1:(\d+)\//;
  await waitFor(() => address.test(run.stdout) || run.child.exitCode !== null, 90_000, 'the dashboard address');
  const port = address.exec(run.stdout)?.[1];
  expect(port, run.stderr).toBeDefined();
  expect(readFileSync(`/proc/${run.child.pid}/cmdline`, 'utf8')).not.toContain(SECRET);
  expect(run.stdout).not.toContain(SECRET);
  expect(run.stdout).toMatch(/controls: open http:\/\/127\.0\.0\.1:\d+\/#token=<the token>/);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` });
  ws.on('error', () => undefined);
  const answers: { type: string; ok?: boolean; reason?: string }[] = [];
  ws.on('message', (d) => answers.push(JSON.parse(d.toString())));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'control', token: 'wrong', action: 'stop' }));
  await waitFor(() => answers.some((m) => m.type === 'control-result'), 60_000, 'the refusal');
  expect(answers.find((m) => m.type === 'control-result')?.ok).toBe(false);
  // A setpoint out of the rig's range is refused with the range; one inside it is taken.
  const results = () => answers.filter((m) => m.type === 'control-result');
  ws.send(JSON.stringify({ type: 'control', token: SECRET, action: 'setpoint', name: 'x_ref_m', value: 1e300 }));
  await waitFor(() => results().length >= 2, 60_000, 'the range refusal');
  expect(results()[1]).toMatchObject({ ok: false, reason: "reference 'x_ref_m' must lie within [0, 0.015] on this rig (got 1e+300)" });
  ws.send(JSON.stringify({ type: 'control', token: SECRET, action: 'setpoint', name: 'x_ref_m', value: 0.0085 }));
  await waitFor(() => results().length >= 3, 60_000, 'the setpoint');
  expect(results()[2].ok).toBe(true);
  ws.send(JSON.stringify({ type: 'control', token: SECRET, action: 'stop' }));
  await waitFor(() => run.stdout.includes('still serving') || run.child.exitCode !== null, 120_000, 'the end of the run');
  ws.close();
  run.child.kill('SIGINT');
  expect(await run.done, run.stderr).toBe(1);
  expect(run.stderr).toMatch(/hilbench: stopped from the dashboard; run stopped at t = /);
  expect(run.stdout + run.stderr).not.toContain(SECRET);
}

describe('dashboard token from a file or HILBENCH_TOKEN', () => {
  it('--token-file: not in ps, not printed, the page sets a setpoint within the rig and stops the run with it', () => stopFromPage('file'), 240_000);
  it('HILBENCH_TOKEN: the same', () => stopFromPage('env'), 240_000);

  it('refuses --token with --token-file, an empty token file and a missing one, in one line', () => {
    const dir = freshDir('hilbench-token-');
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    const cases: [string[], RegExp][] = [
      [['--token', 'a', '--token-file', empty], /give --token or --token-file, not both/],
      [['--token-file', empty], /--token-file .*empty: its first line is empty/],
      [['--token-file', join(dir, 'missing')], /--token-file .*missing: cannot read it \(ENOENT\)/],
    ];
    for (const [extra, message] of cases) {
      const r = hilbench(['run', 'maglev', '--live', '127.0.0.1:0', '--out', join(dir, 'run'), ...extra]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  }, 120_000);
});
