import { appendFileSync, writeFileSync } from 'node:fs';

/**
 * link.ndjson in the run directory: one JSON object per line for link events (open, READY,
 * status changes) and, if the run stops on a link fault, a final `fault` record. Each line is
 * appended with one synchronous write, so the file is intact whatever happens after.
 */
export class LinkLog {
  faults = 0;

  constructor(readonly file: string) {
    writeFileSync(file, '');
  }

  event(kind: string, data: Record<string, unknown> = {}): void {
    if (kind === 'fault') this.faults++;
    appendFileSync(this.file, JSON.stringify({ wall: new Date().toISOString(), event: kind, ...data }) + '\n');
  }
}
