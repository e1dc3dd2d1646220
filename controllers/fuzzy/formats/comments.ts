/** A model-file line without its trailing `//` or `#` comment (as fuzzylite's FIS and FCL importers read them). */
export function withoutComment(line: string): string {
  for (const c of ['//', '#']) {
    const at = line.indexOf(c);
    if (at >= 0) line = line.slice(0, at);
  }
  return line;
}
