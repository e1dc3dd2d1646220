import type { Command } from 'commander';
import { version } from '../../firmware-sim/version.ts';
import { checkQueueUrl } from '../../tuning/queue/connection.ts';
import { startQueueWorker } from '../../tuning/queue/queue-worker.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('evaluate tuning and robustness jobs from a Redis queue for `tune --queue` runs on any host; one evaluation at a time (start one per core)')
    .requiredOption('--queue <url>', 'redis://[:password@]host:port[/db] or rediss://… (TLS)')
    .action(async (opts: { queue: string }) => {
      const url = checkQueueUrl(opts.queue);
      const worker = await startQueueWorker({ url, version, log: (line) => process.stderr.write(`hilbench worker: ${line}\n`) });
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await worker.stop();
    });
}
