/**
 * The `ocular` executable.
 * @module
 */
import { runCli } from './index.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ocular: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 3;
  },
);
