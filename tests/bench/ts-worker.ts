import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript file. On Node 20, `execArgv: ['--import', 'tsx']` does
 * not reach the worker's module loader ("Unknown file extension .ts"), so the worker registers
 * tsx itself before importing the file.
 */
export function tsWorker(file: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(bootstrap, { ...options, eval: true });
}
