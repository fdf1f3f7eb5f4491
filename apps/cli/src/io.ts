/**
 * Where the CLI writes. Tests pass their own {@link CliIO} to capture output; the `ocular`
 * binary writes to the process streams.
 * @module
 */

/** Output sinks of the CLI. Each call writes `text` as is (callers add newlines). */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The process's stdout and stderr. */
export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  };
}

/** An in-memory {@link CliIO} that keeps everything written (for tests and embedding). */
export function memoryIO(): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}

/**
 * Serialises a JSON document the way every `--json` output is written: two-space indent,
 * non-finite numbers (Infinity, NaN) as `null`, bigints as decimal strings, trailing newline.
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      if (typeof v === 'bigint') return v.toString();
      return v;
    },
    2,
  )}\n`;
}

/** Formats rows as a left-aligned text table with a header row. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** A number for text output: integers as is, others with `digits` significant digits. */
export function fmt(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return n.toPrecision(digits);
}

/** Milliseconds for text output: two decimals below 10 ms, one below 100, whole above. */
export function fmtMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}
