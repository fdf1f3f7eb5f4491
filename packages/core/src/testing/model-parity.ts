/**
 * Model parity: a registered model, traced at a small input, runs on each backend and on the
 * reference backend, and the outputs are compared. Batch-norm running statistics get seeded
 * non-trivial values first, so every layer changes the output (fresh modules hold identity
 * statistics, which would hide a wrong normalisation).
 * @module
 */
import type { Backend } from '../backend/contract.js';
import { createModel } from '../registry/create.js';
import { Tensor } from '../tensor.js';
import { compareTensors, type Tolerance } from './compare.js';
import { mulberry32, uniform } from './random.js';

/** Default model tolerance: max |difference| ≤ 1e-4 · max(1, max |reference output|). */
export const MODEL_PARITY_TOLERANCE: Tolerance = { rtol: 0, atol: 1e-4 };

/** Options of {@link runModelParity}. */
export interface ModelParityOptions {
  /** The oracle (normally the reference backend). */
  readonly reference: Backend;
  /** Backends compared with the oracle. */
  readonly backends: readonly Backend[];
  /** Spatial input size (default 64×64). */
  readonly inputSize?: readonly [number, number];
  /** Classifier width (default 10: small heads keep the reference backend fast). */
  readonly numClasses?: number;
  /**
   * Tolerance; `atol` is scaled by max(1, max |reference output|). Default
   * {@link MODEL_PARITY_TOLERANCE}: whole networks accumulate more rounding than one op.
   */
  readonly tolerance?: Tolerance;
  /** Seed of the input and of the batch-norm statistics (default 0). */
  readonly seed?: number;
}

/** One backend's result. */
export interface ModelParityBackendResult {
  readonly backend: string;
  readonly ok: boolean;
  /** Largest absolute difference divided by max(1, max |reference output|). */
  readonly maxScaledError: number;
  readonly message?: string;
}

/** The result of {@link runModelParity}. */
export interface ModelParityResult {
  readonly model: string;
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  readonly ok: boolean;
  readonly backends: readonly ModelParityBackendResult[];
}

/** Runs model `name` (from the registry) on every backend and compares it with the reference. */
export async function runModelParity(name: string, options: ModelParityOptions): Promise<ModelParityResult> {
  const model = await createModel(name, { numClasses: options.numClasses ?? 10 });
  const random = mulberry32(options.seed ?? 0);
  const stats = new Map<string, Tensor>();
  for (const [key, t] of model.module.stateDict()) {
    if (t.dtype !== 'float32') continue;
    if (key.endsWith('running_var'))
      stats.set(key, Tensor.from('float32', uniform(random, t.size, 0.5, 1.5), t.dims));
    else if (key.endsWith('running_mean'))
      stats.set(key, Tensor.from('float32', uniform(random, t.size, -0.1, 0.1), t.dims));
  }
  if (stats.size) model.module.loadStateDict(stats, { strict: false });

  const [h, w] = options.inputSize ?? [64, 64];
  const graph = model.trace({ batch: 1, inputSize: [h, w] });
  const c = model.inputSize[0];
  const inputShape = [1, c, h, w];
  const input = Tensor.from('float32', uniform(random, c * h * w, -1, 1), inputShape);
  const feeds = { [graph.inputs[0]!.name]: input };
  const outputName = graph.outputs[0]!.name;

  const run = async (backend: Backend): Promise<Tensor> => {
    const session = await backend.compile(graph);
    try {
      return (await session.run(feeds))[outputName]!;
    } finally {
      await session.dispose();
    }
  };
  const expected = await run(options.reference);
  const scale = Math.max(1, ...expected.toNumbers().map(Math.abs));
  const results: ModelParityBackendResult[] = [];
  for (const backend of options.backends) {
    try {
      const actual = await run(backend);
      const tol = options.tolerance ?? MODEL_PARITY_TOLERANCE;
      const cmp = compareTensors(actual, expected, { rtol: tol.rtol, atol: tol.atol * scale });
      results.push({
        backend: backend.name,
        ok: cmp.ok,
        maxScaledError: cmp.maxAbsError / scale,
        message: cmp.message,
      });
    } catch (err) {
      results.push({
        backend: backend.name,
        ok: false,
        maxScaledError: Number.NaN,
        message: (err as Error).message,
      });
    }
  }
  return {
    model: name,
    inputShape,
    outputShape: expected.dims,
    ok: results.every((r) => r.ok),
    backends: results,
  };
}
