/**
 * Worker-thread entry of the tuning pool: receives the task once (workerData), then evaluates
 * `{ id, values }` jobs and posts `{ id, metrics }` (or `{ id, error }` for an internal fault).
 * Started with `execArgv: ['--import', 'tsx']` so it runs the TypeScript sources directly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { evaluatePoint, type TuningTask } from './task.ts';

const task = workerData as TuningTask;
parentPort!.on('message', (job: { id: number; values: number[] }) => {
  try {
    parentPort!.postMessage({ id: job.id, metrics: evaluatePoint(task, job.values) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) });
  }
});
