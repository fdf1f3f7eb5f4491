/**
 * A progress bar on stderr for long work: redrawn in place on a terminal, one line per quarter
 * otherwise (so logs stay short).
 * @module
 */
import type { CliIO } from './io.js';

/** Reports `done` of `total` steps of `label`. */
export type ProgressReporter = (done: number, total: number) => void;

/** A progress reporter writing to `io.stderr`; `isTTY` decides between redraw and log lines. */
export function progressBar(
  io: CliIO,
  label: string,
  isTTY = Boolean(process.stderr.isTTY),
): ProgressReporter {
  let lastQuarter = -1;
  return (done, total) => {
    if (total <= 1) return;
    const frac = Math.min(1, done / total);
    if (isTTY) {
      const width = 30;
      const filled = Math.round(frac * width);
      io.stderr(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      if (done >= total) io.stderr('\n');
      return;
    }
    const quarter = Math.floor(frac * 4);
    if (quarter !== lastQuarter) {
      lastQuarter = quarter;
      io.stderr(`${label}: ${done}/${total}\n`);
    }
  };
}
