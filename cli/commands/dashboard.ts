import { UserError } from '../../errors/user-error.ts';
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { loadReplay } from '../../hil/dashboard/replay.ts';
import { parseListen } from '../../hil/dashboard/origin.ts';
import { DashboardServer } from '../../hil/dashboard/server.ts';
import { collect } from '../options.ts';

export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('serve the browser dashboard; --replay plays back a recorded run.csv or log CSV with a time scrubber')
    .option('--listen <host:port>', 'address to bind (non-loopback addresses expose the page to the network)', '127.0.0.1:8080')
    .option('--replay <file.csv>', 'a run.csv (from run / hil run) or a log CSV (from log) to replay')
    .option('--allow-origin <origin>', 'also accept WebSocket connections from this page origin, e.g. http://lab-pc:8080; repeatable', collect, [])
    .action(async (opts: { listen: string; replay?: string; allowOrigin: string[] }) => {
      if (!opts.replay) {
        throw new UserError('nothing to show: pass --replay FILE.csv (live dashboards start with `run --live` or `log --dashboard`)');
      }
      const data = loadReplay(resolve(opts.replay));
      const { host, port } = parseListen(opts.listen);
      const server = await DashboardServer.start({ replay: data }, { host, port, allowOrigins: opts.allowOrigin });
      process.stdout.write(`dashboard: replaying ${opts.replay} (${data.data[0].length} samples, ${data.columns.length - 1} signals) at ${server.url}\n`);
      if (server.exposed) process.stderr.write(`hilbench: warning: listening on ${host}, reachable from other machines\n`);
      process.stdout.write('Ctrl-C to stop\n');
      await new Promise<void>((done) => process.once('SIGINT', () => done()));
      await server.close();
    });
}
