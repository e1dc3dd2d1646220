import { FileError, USER_FS_CODES } from '../../errors/fs-error.ts';
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

export interface LineFileOptions {
  /** Hand buffered lines to the OS at least this often (ms of wall time), also when no line arrives. Default 200. */
  flushInterval_ms?: number;
  /** Hand buffered lines to the OS as soon as this many bytes are buffered. Default 64 KiB. */
  flushBytes?: number;
  /** Clock for the flush interval; injectable for tests. Default Date.now. */
  now?: () => number;
  /**
   * 'truncate' (default) starts an empty file; 'append' keeps an existing file, first cutting off
   * an unterminated last line left by a crash (see `recoverLineFile`).
   */
  mode?: 'truncate' | 'append';
  /**
   * Called once when the idle-flush timer fails to write (disk full …); the timer then stops and
   * the unwritten lines stay buffered. Without it the next append reports the error.
   */
  onError?: (e: Error) => void;
}

/**
 * A file-system error as a one-line error naming the file, tagged `writeFailed`: a FileError (a
 * UserError, exit 1) when the user can fix it (disk full, permissions, read-only file system …).
 */
export function fileError(path: string, what: 'open' | 'write', e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const detail = (err.message ?? String(e)).replace(/, (open|write|fsync)( '.*')?$/, '');
  const message = `${path}: cannot ${what} (${detail})`;
  if (err.code !== undefined && USER_FS_CODES.has(err.code)) return new FileError(path, err.code, message, { cause: e });
  return Object.assign(new Error(message, { cause: e }), { code: err.code, writeFailed: true });
}

export interface RecoveryReport {
  /** Bytes of complete lines kept. */
  readonly keptBytes: number;
  /** Bytes of an unterminated last line that were cut off (0 when the file ended cleanly). */
  readonly droppedBytes: number;
}

/**
 * Cuts an unterminated last line off a file left by a crash, so that the file holds only whole
 * lines again. A writer killed inside write(2) can leave part of its last chunk behind (Linux
 * checks for SIGKILL between pages of one write), so every reader and every appender calls this.
 */
export function recoverLineFile(path: string): RecoveryReport {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const end = lastNewlineEnd(fd, size);
    if (end < size) ftruncateSync(fd, end);
    return { keptBytes: end, droppedBytes: size - end };
  } finally {
    closeSync(fd);
  }
}

/** Offset just past the last '\n' in the file (0 if none), reading backwards in 64 KiB blocks. */
function lastNewlineEnd(fd: number, size: number): number {
  const block = Buffer.allocUnsafe(65536);
  let pos = size;
  while (pos > 0) {
    const start = Math.max(0, pos - block.length);
    const n = readSync(fd, block, 0, pos - start, start);
    const i = block.subarray(0, n).lastIndexOf(10);
    if (i >= 0) return start + i + 1;
    pos = start;
  }
  return 0;
}

/**
 * Appends whole lines to a file with a bounded flush interval. Lines wait in memory until the
 * interval or the byte threshold is reached, then go to the OS in one write loop; a timer flushes
 * them when no further line arrives, so a quiet source never holds data back for long. After
 * `kill -9` the file holds every line flushed before the kill (at most one interval is lost);
 * a partial last line can only come from a kill inside write(2) and is removed by
 * `recoverLineFile` when the file is reopened or read.
 */
export class LineFileWriter {
  private fd = -1;
  /**
   * Lines waiting for the next flush, encoded at once into a reused buffer: a line's string dies
   * young, so a long run does not promote every row to the old generation before it is written.
   */
  private pending = Buffer.allocUnsafe(1 << 17);
  private pendingBytes = 0;
  /** Bytes a failed write left unwritten; they go out first at the next flush. */
  private unwritten: Buffer | undefined;
  private bufferedBytes = 0;
  /** The last write error, if the file could not take its lines. */
  error: Error | undefined;
  /** A write error has reached the owner (thrown to a caller or passed to onError). */
  private reported = false;
  private lastFlush = 0;
  private timer: NodeJS.Timeout | undefined;
  readonly flushInterval_ms: number;
  private readonly flushBytes: number;
  private readonly now: () => number;
  /** What `open` cut off an existing file (append mode). */
  recovered: RecoveryReport | undefined;
  /** Size of the file when opened (append mode), so callers know whether to write a header. */
  initialBytes = 0;
  /** Bytes of whole writes on disk: where the next write goes. */
  private bytesOnDisk = 0;
  /** A regular file takes positioned writes and can be cut back; a pipe or a device cannot. */
  private seekable = false;
  /** Whole lines this writer put on disk. */
  linesOnDisk = 0;

  constructor(
    readonly path: string,
    private readonly options: LineFileOptions = {},
  ) {
    this.flushInterval_ms = options.flushInterval_ms ?? 200;
    this.flushBytes = options.flushBytes ?? 65536;
    this.now = options.now ?? Date.now;
    if (!(this.flushInterval_ms > 0)) throw new TypeError(`"flushInterval_ms" must be > 0 (got ${this.flushInterval_ms})`);
  }

  get isOpen(): boolean {
    return this.fd >= 0;
  }

  open(): void {
    try {
      if (this.options.mode === 'append') {
        try {
          this.recovered = recoverLineFile(this.path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
        this.fd = openSync(this.path, 'a');
        this.initialBytes = fstatSync(this.fd).size;
        this.bytesOnDisk = this.initialBytes;
      } else {
        this.fd = openSync(this.path, 'w');
      }
    } catch (e) {
      throw fileError(this.path, 'open', e);
    }
    try {
      this.seekable = fstatSync(this.fd).isFile();
    } catch {
      this.seekable = false;
    }
    this.lastFlush = this.now();
    // The idle flush: bounded latency even when lines stop arriving. unref: never keeps the process alive.
    this.timer = setInterval(() => {
      if (!(this.bufferedBytes > 0 && this.now() - this.lastFlush >= this.flushInterval_ms)) return;
      try {
        this.writeOut();
      } catch (e) {
        // A throw here would be an uncaught exception: stop the timer and tell the owner (or,
        // without onError, leave the error to the next append or close).
        clearInterval(this.timer);
        this.timer = undefined;
        if (this.options.onError) {
          this.reported = true;
          this.options.onError(e as Error);
        }
      }
    }, Math.max(10, this.flushInterval_ms / 2));
    this.timer.unref();
  }

  /** Queues one or more complete lines (the text must end with '\n'). */
  append(lines: string): void {
    const need = Buffer.byteLength(lines, 'utf8');
    if (this.pendingBytes + need > this.pending.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.pending.length * 2, this.pendingBytes + need));
      this.pending.copy(bigger, 0, 0, this.pendingBytes);
      this.pending = bigger;
    }
    this.pendingBytes += this.pending.write(lines, this.pendingBytes, 'utf8');
    this.bufferedBytes += need;
    if (this.bufferedBytes >= this.flushBytes || this.now() - this.lastFlush >= this.flushInterval_ms) this.flush();
  }

  /** Writes a line straight through (headers, metadata), after anything buffered. */
  appendNow(lines: string): void {
    this.append(lines);
    this.flush();
  }

  flushIfDue(): void {
    if (this.bufferedBytes > 0 && this.now() - this.lastFlush >= this.flushInterval_ms) this.flush();
  }

  /** Writes every buffered line; on a write error the unwritten bytes stay buffered and a `fileError` is thrown. */
  flush(): void {
    try {
      this.writeOut();
    } catch (e) {
      this.reported = true;
      throw e;
    }
  }

  private writeOut(): void {
    if (this.fd < 0) return;
    if (this.bufferedBytes > 0) {
      const text = this.pending.subarray(0, this.pendingBytes);
      // Unwritten bytes of a failed write go first; the pending buffer is reused, so they are kept in a copy.
      const data = this.unwritten ? Buffer.concat([this.unwritten, text]) : text;
      this.pendingBytes = 0;
      // writeSync may write less than asked (signals, full disks): loop until every byte is out.
      // Positioned writes, so that cutting a torn line off below moves where the next write goes.
      let off = 0;
      try {
        while (off < data.length) off += writeSync(this.fd, data, off, data.length - off, this.seekable ? this.bytesOnDisk + off : null);
      } catch (e) {
        // A full disk can take part of a line: cut the file back to its last whole line and keep
        // the rest for a later attempt, so the file never ends in a torn row.
        const whole = data.subarray(0, off).lastIndexOf(10) + 1;
        try {
          if (whole < off && this.seekable) ftruncateSync(this.fd, this.bytesOnDisk + whole);
        } catch {
          // the file keeps a torn tail; recoverLineFile cuts it at the next read or append
        }
        this.bytesOnDisk += whole;
        this.linesOnDisk += countLines(data, whole);
        this.unwritten = Buffer.from(data.subarray(whole));
        this.bufferedBytes = this.unwritten.length;
        throw (this.error = fileError(this.path, 'write', e));
      }
      this.bytesOnDisk += data.length;
      this.linesOnDisk += countLines(data, data.length);
      this.unwritten = undefined;
      this.bufferedBytes = 0;
    }
    this.lastFlush = this.now();
  }

  /** The lines handed to this writer that are not on disk (a write error kept them back). */
  notOnDisk(): Buffer {
    const pending = this.pending.subarray(0, this.pendingBytes);
    return this.unwritten ? Buffer.concat([this.unwritten, pending]) : Buffer.from(pending);
  }

  /**
   * Flushes, fsyncs and closes. Safe to call twice. A write error already reported (thrown by an
   * earlier flush or passed to onError) is not thrown again; the file is closed all the same.
   */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.fd < 0) return;
    const reported = this.reported;
    try {
      this.writeOut();
      fsyncSync(this.fd);
    } catch (e) {
      if (!reported) {
        this.reported = true;
        throw e;
      }
    } finally {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

/** Newlines in the first `end` bytes of `data`. */
function countLines(data: Buffer, end: number): number {
  let n = 0;
  for (let i = data.indexOf(10); i >= 0 && i < end; i = data.indexOf(10, i + 1)) n++;
  return n;
}
