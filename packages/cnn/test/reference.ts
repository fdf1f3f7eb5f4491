/**
 * Test helper: reads the timm reference layouts and goldens from the shared reference data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '@ocular/vitest-config/shared-data';

/** Where the reference data lives; throws when missing, so tests never pass by skipping. */
export const REFERENCE_DIR = sharedPath('reference');

/** One state-dict line: key, shape, param|buffer, dtype. */
export type LayoutEntry = [string, number[], 'param' | 'buffer', string];

/** The fields of a layout file the tests use. */
export interface Layout {
  model: string;
  param_count: number;
  macs: number;
  state_dict: LayoutEntry[];
  default_input_size: [number, number, number];
  mean: number[];
  std: number[];
  num_classes: number;
  pretrained_cfg: { tag: string; first_conv: string; classifier: string };
  feature_info: { module: string; num_chs: number; reduction: number }[];
  features_only: {
    out_indices: number[];
    channels: number[];
    reduction: number[];
    module: string[];
    output_shapes_at_default_input: number[][];
  };
  logits_shape_at_default_input: number[];
  forward_features_shape_at_default_input: number[];
}

/** True when timm's layout of `model` is in the reference data. */
export function hasLayout(model: string): boolean {
  return existsSync(join(REFERENCE_DIR, 'layouts', `${model}.json`));
}

/** Loads `layouts/<model>.json`. */
export function layout(model: string): Layout {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, 'layouts', `${model}.json`), 'utf8')) as Layout;
}

/** A module's state dict in the layout format. */
export function moduleLayout(m: {
  stateDict(): Map<string, { dims: readonly number[]; dtype: string }>;
  namedParameters(): Iterable<[string, unknown]>;
}): LayoutEntry[] {
  const params = new Set([...m.namedParameters()].map(([k]) => k));
  return [...m.stateDict()].map(([k, t]) => [k, [...t.dims], params.has(k) ? 'param' : 'buffer', t.dtype]);
}

/** The sidecar of a golden file (the fields the tests use). */
export interface GoldenSidecar {
  build: { call: string; kwargs: Record<string, unknown> };
  input: { shape: number[] };
  features_only: { out_indices: number[]; shapes: number[][] };
  suggested_tolerance: { atol: number };
}

/** Reads `golden/<name>.json`. */
export function goldenSidecar(name: string): GoldenSidecar {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, 'golden', `${name}.json`), 'utf8')) as GoldenSidecar;
}

/** The bytes of `golden/<name>.safetensors`. */
export function goldenBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(REFERENCE_DIR, 'golden', `${name}.safetensors`)));
}
