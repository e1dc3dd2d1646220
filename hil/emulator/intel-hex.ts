import { UserError } from '../../errors/user-error.ts';

/**
 * Intel HEX → AVR program memory. avr8js ships no loader, and the format is ten lines of parsing,
 * so it lives here. Errors name the file and line.
 */
export function loadIntelHex(text: string, flashBytes: number, file = 'firmware.hex'): Uint16Array {
  const bytes = new Uint8Array(flashBytes);
  let base = 0;
  let sawEof = false;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length && !sawEof; n++) {
    const line = lines[n].trim();
    if (!line) continue;
    const where = `${file}:${n + 1}`;
    if (line[0] !== ':' || line.length < 11 || !/^:[0-9A-Fa-f]+$/.test(line)) throw new UserError(`${where}: not an Intel HEX record`);
    const rec = Buffer.from(line.slice(1), 'hex');
    const len = rec[0];
    if (rec.length !== len + 5) throw new UserError(`${where}: record length ${len} does not match the line`);
    let sum = 0;
    for (const b of rec) sum = (sum + b) & 0xff;
    if (sum !== 0) throw new UserError(`${where}: checksum mismatch`);
    const addr = (rec[1] << 8) | rec[2];
    const type = rec[3];
    if (type === 0) {
      const at = base + addr;
      if (at + len > flashBytes) throw new UserError(`${where}: data at 0x${at.toString(16)} beyond the ${flashBytes}-byte flash`);
      bytes.set(rec.subarray(4, 4 + len), at);
    } else if (type === 1) sawEof = true;
    else if (type === 2) base = ((rec[4] << 8) | rec[5]) << 4;
    else if (type === 4) base = ((rec[4] << 8) | rec[5]) << 16;
  }
  if (!sawEof) throw new UserError(`${file}: no end-of-file record; is this an Intel HEX file?`);
  return new Uint16Array(bytes.buffer);
}
