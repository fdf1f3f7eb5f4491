/**
 * The command interface and what a command gets to run.
 * @module
 */
import type { OptionSpec, ParsedArgs } from './args.js';
import { type CliIO, toJson } from './io.js';

/** Exit codes of the `ocular` command (documented in the README). */
export const ExitCode = {
  /** The command succeeded. */
  OK: 0,
  /** The command ran but its check failed (a parity mismatch, a conformance pass rate too low). */
  CHECK_FAILED: 1,
  /** The command line was wrong. */
  USAGE: 2,
  /** An error stopped the command (a typed Ocular error, a missing file, ...). */
  ERROR: 3,
} as const;

/** What a command receives besides its arguments. */
export interface CommandContext {
  readonly io: CliIO;
  /** Writes one line to stdout. */
  out(line?: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Writes a JSON document to stdout (see {@link toJson}). */
  json(value: unknown): void;
}

/** One `ocular` sub-command. */
export interface Command {
  readonly name: string;
  /** One line for `ocular help`. */
  readonly summary: string;
  /** Usage line(s) after `ocular `, e.g. `inspect <model> [--json]`. */
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Runs the command; resolves to the exit code. Throws for errors (the CLI maps them to codes). */
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}

/** A {@link CommandContext} writing to `io`. */
export function createContext(io: CliIO): CommandContext {
  return {
    io,
    out: (line = '') => io.stdout(`${line}\n`),
    err: (line) => io.stderr(`${line}\n`),
    json: (value) => io.stdout(toJson(value)),
  };
}

/** The `--json` option every command with machine-readable output shares. */
export const JSON_OPTION: OptionSpec = {
  type: 'boolean',
  description: 'print a JSON document instead of text',
};
