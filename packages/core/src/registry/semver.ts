/**
 * A minimal semantic-version range check, enough for plugins' `coreRange`: `*`, exact `x.y.z`,
 * `^x.y.z`, `~x.y.z`, comparators (`>=`, `>`, `<=`, `<`, `=`), space-separated (AND) and `||`
 * (OR). Pre-release versions order before their release (`1.0.0-rc.1 < 1.0.0`).
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

/** A parsed `major.minor.patch[-prerelease]`. */
export interface SemVer {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly (string | number)[];
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses a version; throws {@link InvalidArgumentError} when it is not `x.y.z[-pre][+build]`. */
export function parseVersion(v: string): SemVer {
  const m = VERSION.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`'${v}' is not a semantic version (x.y.z)`);
  const prerelease = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease };
}

/** Negative, zero or positive as `a` orders before, equal to or after `b`. */
export function compareVersions(a: SemVer, b: SemVer): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d) return d;
  const pa = a.prerelease;
  const pb = b.prerelease;
  if (!pa.length || !pb.length) return pb.length - pa.length; // a release sorts after its pre-releases
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

type Test = (v: SemVer) => boolean;

function bound(op: string, to: SemVer): Test {
  switch (op) {
    case '>=':
      return (v) => compareVersions(v, to) >= 0;
    case '>':
      return (v) => compareVersions(v, to) > 0;
    case '<=':
      return (v) => compareVersions(v, to) <= 0;
    case '<':
      return (v) => compareVersions(v, to) < 0;
    default:
      return (v) => compareVersions(v, to) === 0;
  }
}

function comparator(c: string): Test {
  if (c === '*' || c === 'x' || c === '') return () => true;
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(c)!;
  const op = m[1] ?? '=';
  const v = parseVersion(m[2]!);
  if (op === '^') {
    const upper =
      v.major > 0
        ? { major: v.major + 1, minor: 0, patch: 0, prerelease: [] }
        : v.minor > 0
          ? { major: 0, minor: v.minor + 1, patch: 0, prerelease: [] }
          : { major: 0, minor: 0, patch: v.patch + 1, prerelease: [] };
    return (x) => compareVersions(x, v) >= 0 && compareVersions(x, upper) < 0;
  }
  if (op === '~') {
    const upper = { major: v.major, minor: v.minor + 1, patch: 0, prerelease: [] };
    return (x) => compareVersions(x, v) >= 0 && compareVersions(x, upper) < 0;
  }
  return bound(op, v);
}

/** Compiles a range; throws {@link InvalidArgumentError} for malformed ones. */
export function parseRange(range: string): (version: string) => boolean {
  if (typeof range !== 'string')
    throw new InvalidArgumentError(`version range must be a string, got ${String(range)}`);
  const sets = range.split('||').map((set) =>
    set
      .trim()
      .replace(/(\^|~|>=|<=|>|<|=)\s+/g, '$1')
      .split(/\s+/)
      .map(comparator),
  );
  return (version) => {
    const v = parseVersion(version);
    return sets.some((tests) => tests.every((t) => t(v)));
  };
}

/** True when `version` satisfies `range`. */
export function satisfies(version: string, range: string): boolean {
  return parseRange(range)(version);
}
