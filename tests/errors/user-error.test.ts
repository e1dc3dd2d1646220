import { describe, expect, it } from 'vitest';
import { oneLine, reportError } from '../../cli/errors.ts';
import { FuzzyModelError } from '../../controllers/fuzzy/errors.ts';
import { FileError, fileError } from '../../errors/fs-error.ts';
import { RunStopped, UserError, isUserError } from '../../errors/user-error.ts';
import { MAX_PLANT_STEPS, buildRun } from '../../firmware-sim/scenario/build.ts';
import { loadScenario } from '../../firmware-sim/scenario/load.ts';
import { LinkError } from '../../hil/transport/errors.ts';

describe('one UserError, mapped in one place', () => {
  it('UserError, RunStopped and the subclasses exit 1 with one line; anything else exits 2', () => {
    expect(reportError(new UserError('bad.json: no such scenario file'))).toEqual({ code: 1, line: 'hilbench: bad.json: no such scenario file\n' });
    expect(reportError(new RunStopped('stopped by Ctrl-C'))).toEqual({ code: 1, line: 'hilbench: stopped by Ctrl-C\n' });
    expect(reportError(new FuzzyModelError('m.fll:3: unknown term'))).toMatchObject({ code: 1 });
    const link = new LinkError('port /dev/x is busy', { busy: true });
    expect(reportError(link)).toMatchObject({ code: 1 });
    expect(link).toMatchObject({ busy: true, linkFault: true });
    expect(reportError(new TypeError('x is undefined'))).toEqual({ code: 2, line: 'hilbench: internal error: x is undefined\n' });
    expect(reportError('a string')).toMatchObject({ code: 2 });
  });

  it('errors still tagged the old way (userError: true) count as the user’s; other tags do not', () => {
    expect(isUserError(Object.assign(new Error('x'), { userError: true }))).toBe(true);
    expect(isUserError(Object.assign(new Error('x'), { userError: 'yes' }))).toBe(false);
    expect(isUserError(Object.assign(new Error('x'), { linkFault: true }))).toBe(false);
    expect(isUserError(null)).toBe(false);
  });

  it('control characters in a message are escaped: the line stays one terminal line', () => {
    expect(oneLine('a\nb\r\tc\x1b[2Jd\x07\x7f\u009b')).toBe('a\\nb\\r\\tc\\x1b[2Jd\\x07\\x7f\\x9b');
    const { line } = reportError(new UserError('/tmp/evil\nname.csv: cannot write'));
    expect(line.split('\n')).toEqual(['hilbench: /tmp/evil\\nname.csv: cannot write', '']);
  });

  it('fs errors the user can fix become a FileError naming the file; others pass through', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const e = fileError('out/run.csv', 'write', enospc);
    expect(e).toBeInstanceOf(FileError);
    expect(e).toBeInstanceOf(UserError);
    expect((e as Error).message).toBe('out/run.csv: cannot write (no space left on the device, ENOSPC)');
    for (const code of ['EACCES', 'EROFS', 'EEXIST', 'EISDIR', 'ENOENT', 'ENOTDIR']) {
      expect(isUserError(fileError('f', 'write', Object.assign(new Error(code), { code })))).toBe(true);
    }
    const eio = Object.assign(new Error('EIO'), { code: 'EIO' });
    expect(fileError('f', 'write', eio)).toBe(eio);
  });
});

describe('absurd runs are refused before they start', () => {
  const refuse = (o: { duration?: number; set?: string[] }) => () => buildRun(loadScenario('maglev', o));

  it('duration 1e300, dt = Ts = 1e-300, or one step past 2^31 → one-line UserError naming duration', () => {
    expect(refuse({ duration: 1e300 })).toThrow(/maglev\.json: duration: 1e\+300 s at dt = 0\.0001 s is 1\.00e\+304 plant steps, more than the limit of 2\^31/);
    expect(refuse({ set: ['dt=1e-300', 'Ts=1e-300'] })).toThrow(/duration: .* plant steps, more than the limit of 2\^31/);
    // maglev's dt is 0.1 ms: 2^31 steps are 214748.3648 s.
    expect(MAX_PLANT_STEPS).toBe(2147483648);
    expect(refuse({ duration: 214748.3648 + 0.001 })).toThrow(UserError);
    expect(() => buildRun(loadScenario('maglev', { duration: 214748.3648 }))).not.toThrow();
  });
});
