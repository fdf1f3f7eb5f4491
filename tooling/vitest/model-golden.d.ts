import type { ClassifierModel, Graph, Module, Plugin, SymbolicTensor, Tensor } from '@ocular/core';
import type { GoldenSidecar } from './reference-data.js';

/** Largest |a − b| over two tensors; expects (vitest) that their shapes agree. */
export function maxAbsDiff(a: Tensor, b: Tensor): number;

/** Largest |a − b| − rtol·|b| (≤ atol means allclose). */
export function excess(a: Tensor, b: Tensor, rtol: number): number;

/** Every output a golden records for the classifier: logits, forward_features and pre_logits at once. */
export class ClassifierOutputs extends Module<[SymbolicTensor], Record<string, SymbolicTensor>> {
  readonly model: ClassifierModel;
  constructor(model: ClassifierModel);
  forward(x: SymbolicTensor): Record<string, SymbolicTensor>;
}

/** Runs a graph on one backend. */
export type GoldenRunner = (graph: Graph, feeds: Record<string, Tensor>) => Promise<Record<string, Tensor>>;

/**
 * The reference interpreter, onnxruntime-node and onnxruntime-web (wasm) — or the subset `names` —
 * as `[name, run]` pairs; registers the hooks that initialise the backends and dispose the
 * sessions of the enclosing suite.
 */
export function goldenRunners(names?: readonly ('reference' | 'node' | 'wasm')[]): [string, GoldenRunner][];

/** What `defineGoldenTests` needs to know about a family. */
export interface GoldenTestOptions {
  /** The family's plugin (registered once per file). */
  plugin: Plugin;
  /** Golden names in the shared reference data; each sidecar names the registered arch and its kwargs. */
  goldens: readonly string[];
  /**
   * How many of the golden's weights the features-only model leaves out (the rest must load), or a
   * function that counts them (and may check them against the sidecar).
   */
  featuresLeaveOut: number | ((weights: Map<string, Tensor>, sidecar: GoldenSidecar) => number);
  /**
   * Build the features-only model with the sidecar's out_indices; the golden then names the j-th
   * selected map `features.<j>` (otherwise each map is named by its index). Default false.
   */
  selectOutIndices?: boolean;
}

/**
 * Declares a family's golden-output tests: one suite per golden, with the weights loaded strictly,
 * the float32 outputs (logits, forward_features, pre_logits and each features-only map) compared at
 * 1e-4 on every backend, and logits and forward_features compared with the float64 forward at the
 * sidecar's suggested tolerance.
 */
export function defineGoldenTests(options: GoldenTestOptions): void;
