/**
 * Test helper: reads timm layout facts from the shared reference data (state-dict keys, shapes,
 * kinds, dtypes, param counts, MACs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '@ocular/vitest-config/shared-data';
import type { Graph } from '../src/ir/graph.js';
import { Tensor } from '../src/tensor.js';

/** Where the reference data lives (`$OCULAR_SHARED_DIR/reference` or `../shared/reference`); throws when missing. */
export const REFERENCE_DIR = sharedPath('reference');

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

/** The reference interpreter's signature. */
export type Interpret = (graph: Graph, feeds: Readonly<Record<string, Tensor>>) => Record<string, Tensor>;

// Core does not depend on @ocular/backend-reference (the dependency goes the other way); the
// workspace alias of the shared vitest preset resolves it in tests. A non-literal specifier keeps
// the type checker from following the import.
const REFERENCE_BACKEND: string = '@ocular/backend-reference';

/** `interpret` from @ocular/backend-reference. */
export async function referenceInterpret(): Promise<Interpret> {
  return ((await import(REFERENCE_BACKEND)) as { interpret: Interpret }).interpret;
}

/**
 * Reads a float32/int64 safetensors golden file (format: u64 LE header length, JSON header,
 * raw little-endian data). Kept minimal and independent of core's own reader.
 */
export function readGolden(name: string): Map<string, Tensor> {
  const bytes = readFileSync(join(REFERENCE_DIR, 'golden', `${name}.safetensors`));
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const out = new Map<string, Tensor>();
  for (const [key, h] of Object.entries(header)) {
    if (key === '__metadata__') continue;
    const [b, e] = h.data_offsets;
    const raw = bytes.slice(8 + n + b, 8 + n + e);
    if (h.dtype === 'F32')
      out.set(key, new Tensor('float32', new Float32Array(raw.buffer, raw.byteOffset, (e - b) / 4), h.shape));
    else if (h.dtype === 'I64')
      out.set(key, new Tensor('int64', new BigInt64Array(raw.buffer, raw.byteOffset, (e - b) / 8), h.shape));
    else throw new Error(`readGolden: unsupported dtype ${h.dtype} for ${key}`);
  }
  return out;
}

/** Max |a − b| − (atol + rtol·|b|) over all elements; ≤ 0 means within tolerance. */
export function excess(a: Tensor, b: Tensor, atol: number, rtol: number): number {
  const x = a.toFloat32();
  const y = b.toFloat32();
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let worst = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++)
    worst = Math.max(worst, Math.abs(x[i]! - y[i]!) - (atol + rtol * Math.abs(y[i]!)));
  return worst;
}
