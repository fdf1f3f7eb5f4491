/**
 * The `ocular` command: backends, models, inspect, export, parity, conformance and demo.
 * {@link runCli} is the whole program; `bin.ts` only connects it to the process.
 * @packageDocumentation
 */
import { OcularError } from '@ocular/core';
import pkg from '../package.json' with { type: 'json' };
import { formatOptions, parseArgs, UsageError } from './args.js';
import { backendsCommand } from './commands/backends.js';
import { conformanceCommand } from './commands/conformance.js';
import { demoCommand } from './commands/demo.js';
import { exportCommand } from './commands/export.js';
import { inspectCommand } from './commands/inspect.js';
import { modelsCommand } from './commands/models.js';
import { parityCommand } from './commands/parity.js';
import { detectCommand, segmentCommand, upscaleCommand } from './commands/task.js';
import { type Command, createContext, ExitCode } from './context.js';
import { type CliIO, processIO } from './io.js';
import { registerBuiltins } from './setup.js';

export { type OptionSpec, type ParsedArgs, parseArgs, UsageError } from './args.js';
export { type Command, type CommandContext, ExitCode } from './context.js';
export { demoPlugin, TinyCnn } from './demo-model.js';
export { type CliIO, memoryIO, processIO, toJson } from './io.js';
export { BUILTIN_BACKENDS, registerBuiltins } from './setup.js';

/** The CLI version (the package version). */
export const VERSION: string = pkg.version;

/** Every sub-command, in the order `ocular help` lists them. */
export const COMMANDS: readonly Command[] = [
  detectCommand,
  segmentCommand,
  upscaleCommand,
  demoCommand,
  backendsCommand,
  modelsCommand,
  inspectCommand,
  exportCommand,
  parityCommand,
  conformanceCommand,
];

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `ocular ${VERSION}: Ocular's command line`,
    '',
    'Usage: ocular <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  show help for a command (ocular help <command>)`,
    '',
    'Options:',
    '  -h, --help     show help',
    '  -V, --version  print the version',
    '',
    'Exit codes: 0 success, 1 a check failed, 2 bad command line, 3 error.',
    '',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [
    `Usage: ocular ${c.usage}`,
    '',
    c.summary,
    '',
    'Options:',
    ...formatOptions({ ...c.options, help: { type: 'boolean', short: 'h', description: 'show this help' } }),
    '',
  ].join('\n');
}

/**
 * Runs the `ocular` command line `argv` (without the node and script paths) and resolves to
 * the exit code. Output goes to `io`; errors go to `io.stderr` as one line
 * `ocular: error [CODE]: message` (typed Ocular errors) or `ocular: usage: message`.
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const ctx = createContext(io);
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    io.stdout(generalHelp());
    return first === undefined ? ExitCode.USAGE : ExitCode.OK;
  }
  if (first === '-V' || first === '--version') {
    ctx.out(VERSION);
    return ExitCode.OK;
  }
  if (first === 'help') {
    const c = rest[0] ? findCommand(rest[0]) : undefined;
    if (rest[0] && !c) {
      ctx.err(`ocular: usage: unknown command '${rest[0]}' (see 'ocular help')`);
      return ExitCode.USAGE;
    }
    io.stdout(c ? commandHelp(c) : generalHelp());
    return ExitCode.OK;
  }
  const command = findCommand(first);
  if (!command) {
    ctx.err(`ocular: usage: unknown command '${first}' (see 'ocular help')`);
    return ExitCode.USAGE;
  }
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(commandHelp(command));
      return ExitCode.OK;
    }
    const args = parseArgs(rest, command.options);
    registerBuiltins();
    return await command.run(args, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.err(`ocular ${command.name}: usage: ${err.message} (see 'ocular help ${command.name}')`);
      return ExitCode.USAGE;
    }
    if (err instanceof OcularError) {
      ctx.err(`ocular ${command.name}: error [${err.code}]: ${err.message}`);
      return ExitCode.ERROR;
    }
    const e = err as NodeJS.ErrnoException;
    ctx.err(`ocular ${command.name}: error${e?.code ? ` [${e.code}]` : ''}: ${e?.message ?? String(err)}`);
    return ExitCode.ERROR;
  }
}
