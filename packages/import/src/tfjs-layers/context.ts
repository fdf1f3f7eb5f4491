/**
 * What a layer converter sees: the tracer, the layer's config, its weights, and helpers for the
 * layout convention. Convention: every rank-4 value is stored NCHW (Keras's NHWC transposed);
 * values of other ranks are stored in Keras order.
 * @module
 */
import type { Attributes, SymbolicTensor, Tensor, Tracer } from '@ocular/core';
import { ImportError } from '../errors.js';
import type { KerasLayerArgs } from './types.js';

/** Converts one layer call: takes the stored inputs, returns the stored outputs. */
export type LayerConverter = (ctx: LayerContext, inputs: SymbolicTensor[]) => SymbolicTensor[];

/** A layer converter's view of the import in progress. */
export class LayerContext {
  /**
   * @param tracer the tracer building the graph
   * @param className the layer's Keras class
   * @param name the layer's name (weights are looked up as `name/key`)
   * @param config the layer's config
   * @param weights every decoded weight by manifest name
   * @param used names of weights consumed so far (for the report)
   * @param cache converted weights by `name#form`, so a shared layer transposes its kernel once
   */
  constructor(
    readonly tracer: Tracer,
    readonly className: string,
    readonly name: string,
    readonly config: KerasLayerArgs,
    private readonly weights: ReadonlyMap<string, Tensor>,
    private readonly used: Set<string>,
    private readonly cache: Map<string, Tensor>,
  ) {}

  /** Emits a single-output op under this layer's scope. */
  op(
    opType: string,
    inputs: readonly (SymbolicTensor | Tensor | undefined)[],
    attrs: Attributes = {},
  ): SymbolicTensor {
    return this.tracer.withScope(this.name, () => this.tracer.emit(opType, inputs, attrs)[0]!);
  }

  /** The manifest name of this layer's weight `key`, or undefined when there is none. */
  private weightName(key: string): string | undefined {
    const exact = `${this.name}/${key}`;
    if (this.weights.has(exact)) return exact;
    // Nested or scoped exports prefix names (`model/layer/kernel`).
    const suffix = `/${exact}`;
    for (const n of this.weights.keys()) if (n.endsWith(suffix)) return n;
    return undefined;
  }

  /** This layer's weight `key` (e.g. `kernel`), or undefined when the manifest has none. */
  optionalWeight(key: string): Tensor | undefined {
    const n = this.weightName(key);
    if (n === undefined) return undefined;
    this.used.add(n);
    return this.weights.get(n);
  }

  /**
   * This layer's weight `key`, converted once by `form` (e.g. a transpose) and cached; the
   * result is bound to an initializer named after the manifest weight.
   * @throws ImportError naming the layer and weight when the manifest lacks it
   */
  weight(key: string, form?: { id: string; convert: (t: Tensor) => Tensor }): Tensor {
    const n = this.weightName(key);
    if (n === undefined) {
      throw new ImportError(
        `layer '${this.name}' (${this.className}) needs weight '${this.name}/${key}', which the manifest lacks`,
        {
          details: { layer: this.name, weight: `${this.name}/${key}` },
        },
      );
    }
    this.used.add(n);
    const id = `${n}#${form?.id ?? ''}`;
    let t = this.cache.get(id);
    if (t === undefined) {
      const raw = this.weights.get(n)!;
      t = form ? form.convert(raw) : raw;
      this.cache.set(id, t);
      this.tracer.nameTensor(t, n);
    }
    return t;
  }

  /** A config value, or `fallback` when absent/null. */
  get<T>(key: string, fallback: T): T {
    const v = this.config[key];
    return v === undefined || v === null ? fallback : (v as T);
  }

  /** Throws an {@link ImportError} about this layer. */
  fail(message: string, details?: Record<string, unknown>): never {
    throw new ImportError(`layer '${this.name}' (${this.className}): ${message}`, {
      details: { layer: this.name, className: this.className, ...details },
    });
  }
}
