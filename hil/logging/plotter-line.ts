import { crc16 } from '../../protocol/crc16.ts';
import { CRC_HEX_DIGITS } from '../../protocol/frames.ts';

/**
 * Parses one line of a board's output for `hilbench log`: the Arduino Serial Plotter convention
 * (`label:value` pairs or bare numbers, separated by spaces, tabs or commas) and hilbench protocol
 * v1 frames (`M 7 512*DC`, docs/protocol.md). Never throws: anything else is a bad line with a reason.
 */
export type ParsedLine =
  | { readonly kind: 'sample'; readonly names: readonly string[]; readonly values: readonly number[] }
  | { readonly kind: 'event'; readonly frame: string; readonly text: string }
  | { readonly kind: 'comment' }
  | { readonly kind: 'blank' }
  | { readonly kind: 'bad'; readonly reason: string };

/** Longest line accepted (the protocol's limit is 128 bytes; Serial Plotter lines can be longer). */
export const MAX_PLOTTER_LINE = 1024;
/** Name given to the board's own `t_s` label, since `t_s` is the host's arrival time column. */
export const BOARD_T_NAME = 't_s_board';

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const LABEL = /^[^\s,:"'#\x00-\x1f\x7f]{1,64}$/;
const FRAME = new RegExp(`^([A-Z]+)((?: [!-)+-~]+)*)\\*([0-9A-F]{${CRC_HEX_DIGITS}})$`);
const INTEGER = /^(?:0|-?[1-9]\d*)$/;
const SAMPLE_FRAMES = new Set(['S', 'A', 'X', 'M']);

/** Parses a number as Arduino's Serial.print writes it, including `nan`, `inf`, `-inf`. */
export function parsePlotterNumber(s: string): number | undefined {
  if (NUMBER.test(s)) return Number(s);
  const l = s.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === 'inf' || l === '+inf') return Infinity;
  if (l === '-inf') return -Infinity;
  return undefined;
}

export function parseLogLine(raw: string): ParsedLine {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.length > MAX_PLOTTER_LINE) return { kind: 'bad', reason: `longer than ${MAX_PLOTTER_LINE} characters` };
  if (line.trim() === '') return { kind: 'blank' };
  if (line.startsWith('#')) return { kind: 'comment' };
  if (line.includes('*')) return parseFrame(line);
  return parsePlotter(line);
}

function parsePlotter(line: string): ParsedLine {
  const tokens = line.split(/[ \t,]+/).filter((t) => t !== '');
  const names: string[] = [];
  const values: number[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    let tok = tokens[i];
    // "temp: 21.5" is common in sketches: a label ending in ':' takes the next token as its value.
    if (tok.endsWith(':') && i + 1 < tokens.length) tok += tokens[++i];
    const colon = tok.lastIndexOf(':');
    let name: string;
    let text: string;
    if (colon >= 0) {
      name = tok.slice(0, colon);
      text = tok.slice(colon + 1);
      if (!LABEL.test(name)) return { kind: 'bad', reason: `bad label '${clip(name)}'` };
      if (name === 't_s') name = BOARD_T_NAME;
    } else {
      name = `value${values.length + 1}`;
      text = tok;
    }
    const v = parsePlotterNumber(text);
    if (v === undefined) return { kind: 'bad', reason: `'${clip(text)}' is not a number` };
    if (seen.has(name)) return { kind: 'bad', reason: `label '${clip(name)}' appears twice` };
    seen.add(name);
    names.push(name);
    values.push(v);
  }
  return { kind: 'sample', names, values };
}

function parseFrame(line: string): ParsedLine {
  const m = FRAME.exec(line);
  if (!m) return { kind: 'bad', reason: 'not a protocol frame nor a Serial Plotter line' };
  const star = line.length - 1 - CRC_HEX_DIGITS;
  if (crc16(line, 0, star) !== parseInt(m[3], 16)) return { kind: 'bad', reason: 'protocol frame with a wrong CRC' };
  const type = m[1];
  const fields = m[2] === '' ? [] : m[2].slice(1).split(' ');
  if (!SAMPLE_FRAMES.has(type)) return { kind: 'event', frame: type, text: line.slice(0, star) };
  if (fields.length < 1 || !fields.every((f) => INTEGER.test(f))) return { kind: 'bad', reason: `malformed ${type} frame` };
  const names = [`${type}_seq`];
  for (let i = 1; i < fields.length; i++) names.push(`${type}${i - 1}_counts`);
  return { kind: 'sample', names, values: fields.map(Number) };
}

function clip(s: string): string {
  return s.length > 24 ? s.slice(0, 24) + '…' : s;
}

/** Units read off a signal name's suffix (`x_m` → m), the repository's naming rule; undefined when unknown. */
export function unitFromName(name: string): string | undefined {
  if (name.endsWith('_counts')) return 'counts';
  const i = name.lastIndexOf('_');
  if (i < 0) return undefined;
  return UNIT_SUFFIXES[name.slice(i + 1)];
}

const UNIT_SUFFIXES: Record<string, string> = {
  s: 's', ms: 'ms', us: 'µs', m: 'm', mm: 'mm', cm: 'cm', mps: 'm/s', mps2: 'm/s²', rad: 'rad', deg: 'deg',
  radps: 'rad/s', rpm: 'rpm', A: 'A', mA: 'mA', V: 'V', mV: 'mV', W: 'W', J: 'J', N: 'N', Nm: 'N·m', Pa: 'Pa',
  C: '°C', K: 'K', Hz: 'Hz', pct: '%', lux: 'lx', kg: 'kg', g: 'g',
};
