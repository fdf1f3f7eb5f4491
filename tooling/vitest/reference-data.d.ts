/** Where the reference data lives (`$OCULAR_SHARED_DIR/reference` or `../shared/reference`). */
export const REFERENCE_DIR: string;

/** One state-dict line: key, shape, param|buffer, dtype. */
export type LayoutEntry = [string, number[], 'param' | 'buffer', string];

/** The fields of a layout file the tests use. */
export interface Layout {
  model: string;
  model_class: string;
  param_count: number;
  state_dict_len: number;
  state_dict_numel: number;
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
  reparameterized?: { param_count: number; state_dict: LayoutEntry[] } | null;
  model_attrs?: Record<string, unknown>;
  non_persistent_buffers?: [string, number[], string][];
  /** Every other field of the layout file (see the reference README). */
  [field: string]: unknown;
}

/** True when timm's layout of `model` is in the reference data. */
export function hasLayout(model: string): boolean;
/** Loads `layouts/<model>.json`. */
export function layout(model: string): Layout;
/** A module's state dict in the layout format. */
export function moduleLayout(m: {
  stateDict(): Map<string, { dims: readonly number[]; dtype: string }>;
  namedParameters(): Iterable<[string, unknown]>;
}): LayoutEntry[];

/** The sidecar of a golden file (the fields the tests use). */
export interface GoldenSidecar {
  build: { call: string; kwargs: Record<string, unknown> };
  input: { shape: number[] };
  features_only: { out_indices: number[]; shapes: number[][] };
  suggested_tolerance: { atol: number };
}
/** Reads `golden/<name>.json`. */
export function goldenSidecar(name: string): GoldenSidecar;
/** The bytes of `golden/<name>.safetensors`. */
export function goldenBytes(name: string): Uint8Array;
