import { readFileSync, statSync } from 'node:fs';
import { parse as parseTolerant, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { UserError } from '../errors/user-error.ts';

/**
 * JSON files hilbench reads (scenarios, controllers, maps): JSON.parse for the value, and on failure
 * jsonc-parser to find where the text went wrong, because Node's own message gives no position for
 * many errors (`Unexpected token 'N', "{"a": NaN}" is not valid JSON`) and quotes the file's content.
 * Every refusal is `file:line:column: what`, never an excerpt of the file.
 */

/** Deepest nesting of arrays and objects accepted; hilbench's own files nest under 10 levels. */
export const MAX_JSON_DEPTH = 64;

/** Reads and parses a JSON file; `what` names it in messages ('scenario', 'map', …). */
export function readJsonFile(file: string, what = 'JSON file'): unknown {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new UserError(`${file}: not a regular file (a ${what} is a JSON file)`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UserError(`${file}: a symbolic link loop (ELOOP); cannot read the ${what}`);
    if (code === 'ENOENT') throw new UserError(`${file}: no such ${what} (ENOENT)`);
    throw new UserError(`${file}: cannot read the ${what} (${code ?? (e as Error).message})`);
  }
  return parseJsonText(text, file);
}

/** Parses JSON text; a leading byte-order mark is skipped, as editors on Windows write one. */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const at = (offset: number): string => `${file}:${position(text, offset + text.length - body.length)}`;
  const binary = body.search(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
  if (binary >= 0) throw new UserError(`${at(binary)}: binary content (a control byte or invalid UTF-8), not JSON text`);
  if (body.trim() === '') throw new UserError(`${file}: empty file, expected JSON`);
  const depth = nestingDepth(body);
  if (depth.max > MAX_JSON_DEPTH) throw new UserError(`${at(depth.at)}: nested more than ${MAX_JSON_DEPTH} levels deep`);
  try {
    return JSON.parse(body);
  } catch (e) {
    const errors: ParseError[] = [];
    parseTolerant(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    if (first === undefined) throw new UserError(`${file}: invalid JSON`, { cause: e });
    throw new UserError(`${at(first.offset)}: invalid JSON (${describe(first, body)})`, { cause: e });
  }
}

function describe(error: ParseError, text: string): string {
  const code = printParseErrorCode(error.error);
  if (code === 'InvalidSymbol') {
    const word = /^[A-Za-z_]+/.exec(text.slice(error.offset))?.[0];
    if (word === 'NaN' || word === 'Infinity') return `${word} is not a JSON number; write a number or null`;
    if (text[error.offset] === "'") return 'strings take double quotes';
    return 'unexpected character';
  }
  const words: Record<string, string> = {
    PropertyNameExpected: 'expected a property name in double quotes (a trailing comma?)',
    ValueExpected: 'expected a value (a trailing comma, or the file ends early?)',
    ColonExpected: "expected ':' after the property name",
    CommaExpected: "expected ',' between items",
    CloseBraceExpected: "expected '}' (the file ends early?)",
    CloseBracketExpected: "expected ']' (the file ends early?)",
    EndOfFileExpected: 'more text after the JSON value',
    UnexpectedEndOfString: 'a string is never closed',
    InvalidCommentToken: 'comments are not JSON',
    InvalidEscapeCharacter: 'invalid escape in a string',
    InvalidCharacter: 'a control character inside a string',
    InvalidNumberFormat: 'invalid number',
    InvalidUnicode: 'invalid \\u escape',
    UnexpectedEndOfComment: 'comments are not JSON',
    UnexpectedEndOfNumber: 'invalid number',
  };
  return words[code] ?? code;
}

/** `line:column` (1-based; the column counts UTF-16 units, as editors mostly do) of `offset`. */
function position(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return `${line}:${offset - start + 1}`;
}

/** Deepest bracket nesting outside strings and where it is first exceeded; a linear scan, no recursion. */
function nestingDepth(text: string): { max: number; at: number } {
  let depth = 0;
  let max = 0;
  let at = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) {
        max = depth;
        if (depth === MAX_JSON_DEPTH + 1) at = i;
      }
    } else if (c === 93 || c === 125) depth--;
  }
  return { max, at };
}
