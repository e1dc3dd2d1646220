import type { Command } from 'commander';
import { SerialPort } from 'serialport';

export function registerPorts(program: Command): void {
  program
    .command('ports')
    .description('list serial ports (USB boards show their vendor and product ids)')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      let ports: Awaited<ReturnType<typeof SerialPort.list>>;
      try {
        ports = await SerialPort.list();
      } catch (e) {
        process.stdout.write(
          `cannot list serial ports here (${(e as Error).message}); pass the device path directly, e.g. --port /dev/ttyACM0 or the --device of 'hilbench board emulate'\n`,
        );
        return;
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify(ports, null, 2) + '\n');
        return;
      }
      if (ports.length === 0) {
        process.stdout.write(
          "no serial ports found (listing needs udev: in containers and CI it often finds nothing); pass the device path directly, e.g. --port /dev/ttyACM0, or start an emulated board with 'hilbench board emulate --device /tmp/ttyEMU0'\n",
        );
        return;
      }
      for (const p of ports) {
        const id = p.vendorId ? ` [${p.vendorId}:${p.productId}]` : '';
        process.stdout.write(`${p.path}\t${p.manufacturer ?? ''}${id}${p.serialNumber ? ` serial ${p.serialNumber}` : ''}\n`);
      }
    });
}
