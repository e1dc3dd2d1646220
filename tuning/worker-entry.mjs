// Worker bootstrap: registers tsx inside the worker thread, then loads the TypeScript worker.
// `new Worker(url, { execArgv: ['--import', 'tsx'] })` does not install tsx's hooks in a worker on
// Node 20 (ERR_UNKNOWN_FILE_EXTENSION for the .ts entry), so the worker registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
