/**
 * Test helper: reads timm layout facts from the shared reference data (state-dict keys, shapes,
 * kinds, dtypes, param counts, MACs). Tests that need it skip when the data is not present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the reference data lives: `$OCULAR_REFERENCE_DIR`, or `../shared/reference` next to the repo. */
export const REFERENCE_DIR =
  process.env.OCULAR_REFERENCE_DIR ??
  resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/reference');

/** True when the layouts are available. */
export const HAS_REFERENCE = existsSync(join(REFERENCE_DIR, 'layouts', 'resnet18.json'));

/** One state-dict line: key, shape, param|buffer, dtype. */
export type LayoutEntry = [string, number[], 'param' | 'buffer', string];

/** The fields of a layout file the tests use. */
export interface Layout {
  model: string;
  param_count: number;
  macs: number;
  macs_breakdown: { conv: number; mm: number; bmm: number };
  state_dict: LayoutEntry[];
  non_persistent_buffers: [string, number[], string][];
  default_input_size: [number, number, number];
  mean: number[];
  std: number[];
  num_classes: number;
  feature_info: { module: string; num_chs: number; reduction: number }[];
}

/** Loads `layouts/<model>.json`. */
export function layout(model: string): Layout {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, 'layouts', `${model}.json`), 'utf8')) as Layout;
}

/** The layout entries under `prefix.` with the prefix removed (all of them for `''`). */
export function layoutUnder(model: string, prefix: string): LayoutEntry[] {
  const p = prefix ? `${prefix}.` : '';
  return layout(model)
    .state_dict.filter(([k]) => k.startsWith(p))
    .map(([k, s, kind, dt]) => [k.slice(p.length), s, kind, dt]);
}

/** A module's state dict in the layout format, for `toEqual` against {@link layoutUnder}. */
export function moduleLayout(m: {
  stateDict(): Map<string, { dims: readonly number[]; dtype: string }>;
  namedParameters(): Iterable<[string, unknown]>;
}): LayoutEntry[] {
  const params = new Set([...m.namedParameters()].map(([k]) => k));
  return [...m.stateDict()].map(([k, t]) => [k, [...t.dims], params.has(k) ? 'param' : 'buffer', t.dtype]);
}
