import { appendFileSync, writeFileSync } from 'node:fs';
import type { Subscription } from 'rxjs';
import type { ReadyFrame, SerialLink } from '../transport/index.ts';

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

/**
 * Opens `link` with its life recorded in `log`: status changes, frames that answer no request,
 * READY, or the fault that stopped the handshake. Unsubscribe the returned subscription when done.
 */
export async function openLogged(link: SerialLink, log: LinkLog): Promise<{ ready: ReadyFrame; sub: Subscription }> {
  const sub = link.status$.subscribe((status) => log.event('status', { status }));
  sub.add(link.unsolicited$.subscribe((frame) => log.event('board', { frame })));
  try {
    const ready = await link.open();
    log.event('ready', { ...ready });
    return { ready, sub };
  } catch (e) {
    log.event('fault', { reason: (e as Error).message });
    sub.unsubscribe();
    throw e;
  }
}
