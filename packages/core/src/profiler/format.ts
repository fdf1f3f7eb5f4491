/**
 * Plain-text tables of a {@link Profile}: per module (to a depth) or per node.
 * @module
 */
import type { Profile } from './profile.js';

/** Options of {@link formatProfile}. */
export interface FormatProfileOptions {
  /** `module` (default) rows per module path; `node` rows per node. */
  readonly by?: 'module' | 'node';
  /** Deepest module level shown (default 2); `Infinity` shows all. */
  readonly depth?: number;
  /** Cap on rows (default 200); the rest is summarised. */
  readonly maxRows?: number;
}

/** `1234567` → `1.23M`. */
export function humanCount(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [v, u] of units) if (Math.abs(n) >= v) return `${(n / v).toFixed(2)}${u}`;
  return String(n);
}

/** Bytes in binary units (`1.50 MiB`). */
export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(2)} ${units[i]}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A per-module (or per-node) table with parameters and MACs, and a totals footer. */
export function formatProfile(profile: Profile, options: FormatProfileOptions = {}): string {
  const maxRows = options.maxRows ?? 200;
  let rows: string[][];
  if ((options.by ?? 'module') === 'node') {
    rows = profile.nodes.map((n) => [
      n.name,
      n.opType,
      n.outputShapes.map((s) => (s ? `[${s.join(',')}]` : '?')).join(' '),
      humanCount(n.params),
      humanCount(n.macs),
    ]);
    rows = rows.slice(0, maxRows);
  } else {
    const depth = options.depth ?? 2;
    rows = profile.modules
      .filter((m) => m.depth <= depth)
      .slice(0, maxRows)
      .map((m) => [
        `${'  '.repeat(m.depth)}${m.path || '(total)'}`,
        humanCount(m.params),
        humanCount(m.macs),
      ]);
  }
  const header =
    (options.by ?? 'module') === 'node'
      ? ['node', 'op', 'output', 'params', 'MACs']
      : ['module', 'params', 'MACs'];
  const footer = [
    `params ${profile.params.toLocaleString('en-US')} (${humanCount(profile.params)}), ` +
      `MACs ${profile.macs.toLocaleString('en-US')} (${humanCount(profile.macs)}) at batch ${profile.batch}`,
    `activations ${humanBytes(profile.activationBytes)} total, ${humanBytes(profile.peakActivationBytes)} peak live`,
  ];
  return `${table(header, rows)}\n${footer.join('\n')}`;
}
