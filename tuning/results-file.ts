import { appendFileSync, existsSync, openSync, readFileSync, closeSync, ftruncateSync } from 'node:fs';
import { fileError, writeFileNamed } from '../errors/fs-error.ts';
import type { Metrics } from './objective.ts';
import { UserError } from '../errors/user-error.ts';
import { parseCsv, shown } from '../formats/csv.ts';

/** One evaluated point as stored in evaluations.csv. */
export interface EvalRecord {
  readonly index: number;
  readonly batch: number;
  readonly values: readonly number[];
  readonly cost: number;
  readonly feasible: boolean;
  readonly metrics: Metrics;
}

/**
 * evaluations.csv: one row per evaluation, appended (whole lines) as each batch completes, so an
 * interrupted search loses at most the batch in flight. Numbers are written in shortest
 * round-trip form: reading a row back gives the exact parameter values, which is how a resumed
 * search recognises the points it has already evaluated.
 */
export class ResultsFile {
  readonly header: string[];

  constructor(
    readonly file: string,
    readonly paramNames: readonly string[],
    readonly metricKeys: readonly string[],
  ) {
    this.header = ['index', 'batch', ...paramNames, 'cost', 'feasible', 'status', ...metricKeys];
  }

  /** Starts a new file (overwrites). */
  create(): void {
    writeFileNamed(this.file, this.header.join(',') + '\n');
  }

  append(records: readonly EvalRecord[]): void {
    if (records.length === 0) return;
    const lines = records.map((r) =>
      [
        r.index,
        r.batch,
        ...r.values.map(String),
        String(r.cost),
        r.feasible ? 1 : 0,
        String(r.metrics.status ?? ''),
        ...this.metricKeys.map((k) => cell(r.metrics[k])),
      ].join(','),
    );
    try {
      appendFileSync(this.file, lines.join('\n') + '\n');
    } catch (e) {
      // A torn last line left by a full disk is cut off when the search resumes (readExisting).
      throw fileError(this.file, 'write', e);
    }
  }

  /**
   * Reads an existing file for resuming. A torn last line (no newline) is cut off the file.
   * A different header means a different tuning set-up: refused with a message naming the file.
   */
  readExisting(): EvalRecord[] | undefined {
    if (!existsSync(this.file)) return undefined;
    let text = readFileSync(this.file, 'utf8');
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < text.length - 1) {
      text = text.slice(0, lastNl + 1);
      const fd = openSync(this.file, 'r+');
      ftruncateSync(fd, Buffer.byteLength(text));
      closeSync(fd);
    }
    const table = parseCsv(text, this.file, { comments: false, backslashEscapes: true });
    if (table.header.length === 0) return [];
    if (table.header.join(',') !== this.header.join(',')) {
      throw new UserError(`${this.file}: written by a different tuning set-up (columns differ); choose another --out or pass --fresh`);
    }
    const np = this.paramNames.length;
    return table.rows.map((c, i) => {
      const metrics: Metrics = { status: c[4 + np] };
      this.metricKeys.forEach((k, j) => {
        const s = c[5 + np + j];
        metrics[k] = s === '' ? null : Number(s);
      });
      const index = Number(c[0]);
      if (index !== i) throw new UserError(`${this.file}:${table.lines[i]}: expected evaluation ${i}, found ${shown(c[0])}`);
      return {
        index,
        batch: Number(c[1]),
        values: c.slice(2, 2 + np).map(Number),
        cost: Number(c[2 + np]),
        feasible: c[3 + np] === '1',
        metrics,
      };
    });
  }
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  return JSON.stringify(String(v)).replace(/,/g, ';');
}
