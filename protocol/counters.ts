/** Link counters (docs/protocol.md §1): everything dropped is counted, never thrown. */
export interface LinkCounters {
  framesOut: number;
  framesIn: number;
  tooLong: number;
  nonAscii: number;
  badCrc: number;
  malformed: number;
  outOfSequence: number;
  timeouts: number;
  retries: number;
  errFrames: number;
  comments: number;
}

export function newCounters(): LinkCounters {
  return {
    framesOut: 0,
    framesIn: 0,
    tooLong: 0,
    nonAscii: 0,
    badCrc: 0,
    malformed: 0,
    outOfSequence: 0,
    timeouts: 0,
    retries: 0,
    errFrames: 0,
    comments: 0,
  };
}

/** Counters as flat metrics keys: link_badCrc, … */
export function countersAsMetrics(c: LinkCounters): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(c)) out[`link_${k}`] = v;
  return out;
}
