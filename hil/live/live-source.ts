import { BehaviorSubject, Subject } from 'rxjs';

/** The signals of a live stream: `columns[0]` is always 't_s'. Replaced whenever the set changes. */
export interface LiveColumns {
  readonly columns: readonly string[];
  /** Unit per column where known. */
  readonly units: Readonly<Record<string, string>>;
}

/**
 * One sample: `row[i]` is the value of `columns[i]` of the column set current when it was pushed
 * (`row[0]` is t_s). `missing[i]` = 1 marks a column the source did not send this time.
 * Subscribers may keep the object: it is never reused.
 */
export interface LiveSample {
  readonly row: Float64Array;
  readonly missing?: Uint8Array;
}

export type LiveEvent =
  | { readonly type: 'gap'; readonly closed_s: number; readonly reopened_s: number; readonly lastSample_s: number | null; readonly reason: string }
  | { readonly type: 'disconnected'; readonly t_s: number; readonly reason: string }
  | { readonly type: 'bad'; readonly t_s: number; readonly line: string; readonly reason: string }
  | { readonly type: 'frame'; readonly t_s: number; readonly text: string }
  | { readonly type: 'control'; readonly t_s: number; readonly action: string; readonly detail: string }
  | { readonly type: 'end'; readonly status: string; readonly error?: string };

export type Metrics = Record<string, number | string | null>;

/**
 * One live stream inside the process (DESIGN §1, issue 5 point 4): the recorder, the dashboard
 * and the terminal status line all subscribe to these subjects, so they see the same samples in
 * the same order. Delivery is synchronous: a sample has reached every subscriber when `push` returns.
 */
export class LiveSource {
  readonly columns$ = new BehaviorSubject<LiveColumns>({ columns: ['t_s'], units: { t_s: 's' } });
  readonly samples$ = new Subject<LiveSample>();
  readonly events$ = new Subject<LiveEvent>();
  /** Counters and metrics as they update (samples, bad lines, reconnects, running IAE…). */
  readonly metrics$ = new BehaviorSubject<Metrics>({});
  samples = 0;

  constructor(
    /** 'run', 'hil', 'log' or 'replay': shown on the dashboard. */
    readonly mode: string,
    readonly title: string,
    /** Signals the dashboard shows first (e.g. output and reference); default the first four. */
    readonly preferred: readonly string[] = [],
  ) {}

  setColumns(columns: readonly string[], units: Readonly<Record<string, string>> = {}): void {
    this.columns$.next({ columns: [...columns], units: { t_s: 's', ...units } });
  }

  push(sample: LiveSample): void {
    this.samples++;
    this.samples$.next(sample);
  }

  event(e: LiveEvent): void {
    this.events$.next(e);
  }

  updateMetrics(values: Metrics): void {
    this.metrics$.next({ ...this.metrics$.value, ...values });
  }

  /** Ends the stream: every subscriber completes. */
  complete(status: string, error?: string): void {
    this.events$.next({ type: 'end', status, ...(error ? { error } : {}) });
    this.samples$.complete();
    this.events$.complete();
    this.metrics$.complete();
    this.columns$.complete();
  }
}
