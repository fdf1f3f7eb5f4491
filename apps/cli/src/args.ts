/**
 * A small argv parser (no dependency): `--flag`, `--name value`, `--name=value`, `-o value`,
 * `--` ends options. Unknown options are usage errors, so a typo never passes silently.
 * @module
 */

/** Declares one option of a command. */
export interface OptionSpec {
  /** `boolean` options take no value; `string` options take exactly one. */
  readonly type: 'boolean' | 'string';
  /** One-letter alias, e.g. `o` for `-o`. */
  readonly short?: string;
  /** Text for `--help`. */
  readonly description: string;
  /** Placeholder shown in help, e.g. `<file>`. */
  readonly valueName?: string;
}

/** Parsed command line of one command. */
export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
}

/** A command line the command does not accept; the CLI exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses `argv` against `specs`. Throws {@link UsageError} for unknown options or missing values. */
export function parseArgs(argv: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | boolean> = {};
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short) byShort.set(spec.short, name);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.length === 2 && arg.startsWith('-') && arg !== '-') {
      name = byShort.get(arg[1]!);
      if (!name) throw new UsageError(`unknown option '${arg}'`);
    } else {
      positionals.push(arg);
      continue;
    }
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option '--${name}'`);
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`option '--${name}' takes no value`);
      options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('-') && value.length > 1)) {
      throw new UsageError(`option '--${name}' needs a value${spec.valueName ? ` ${spec.valueName}` : ''}`);
    }
    options[name] = value;
  }
  return { positionals, options };
}

/** Help lines for a set of options. */
export function formatOptions(specs: Readonly<Record<string, OptionSpec>>): string[] {
  const rows = Object.entries(specs).map(([name, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${name}${s.type === 'string' ? ` ${s.valueName ?? '<value>'}` : ''}`;
    return [flag, s.description] as const;
  });
  const width = Math.max(0, ...rows.map(([f]) => f.length));
  return rows.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`);
}

/** A string option, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
}

/** A boolean option (false when absent). */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}

/** A number option; throws {@link UsageError} when it does not parse. */
export function numberOption(args: ParsedArgs, name: string): number | undefined {
  const v = stringOption(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`option '--${name}' needs a number, got '${v}'`);
  return n;
}

/** A comma-separated list option (empty entries dropped). */
export function listOption(args: ParsedArgs, name: string): string[] | undefined {
  const v = stringOption(args, name);
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/** Converts a glob (`*`, `?`) to an anchored, case-sensitive RegExp. */
export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}
