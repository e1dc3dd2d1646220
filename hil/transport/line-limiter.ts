import { Transform, type TransformCallback } from 'node:stream';
import { MAX_LINE_BYTES } from '../../protocol/frames.ts';

/**
 * Keeps the line reader's buffer bounded: once a line exceeds the protocol limit, the rest of it
 * (up to the next '\n') is dropped, so the line that reaches the decoder is just over the limit and
 * is counted as too long. Without this a peer sending no '\n' (wrong baud, noise) would grow the
 * readline buffer without end.
 */
export class LineLimiter extends Transform {
  private run = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const keep: number[] = [];
    let plain = true;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 10) {
        this.run = 0;
        if (!plain) keep.push(b);
        continue;
      }
      this.run++;
      if (this.run > MAX_LINE_BYTES) {
        if (plain) {
          for (let j = 0; j < i; j++) keep.push(chunk[j]);
          plain = false;
        }
        continue;
      }
      if (!plain) keep.push(b);
    }
    done(null, plain ? chunk : Buffer.from(keep));
  }
}
