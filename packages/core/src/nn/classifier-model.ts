/**
 * The contract every image-classification backbone implements (timm's model API:
 * `forward_features`, `forward_head`, `forward_intermediates`, `reset_classifier`,
 * `feature_info`), and the generic features-only wrapper built on it.
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { SymbolicTensor } from '../ir/trace.js';
import type { FeatureInfo } from '../registry/types.js';
import { Identity } from './containers.js';
import { Module } from './module.js';

/** Options of {@link ClassifierModel.forwardIntermediates}. */
export interface IntermediatesOptions {
  /** Return only the feature maps, skipping the rest of the network (default false). */
  readonly intermediatesOnly?: boolean;
}

/** What {@link ClassifierModel.forwardIntermediates} returns. */
export interface Intermediates {
  /** Output of `forwardFeatures` (absent with `intermediatesOnly`). */
  readonly final?: SymbolicTensor;
  /** The selected feature maps, in network order. */
  readonly intermediates: SymbolicTensor[];
}

/**
 * A backbone with a classifier, as timm's models: `forward(x) = forwardHead(forwardFeatures(x))`.
 * Feature indices count entries of `featureInfo` (negative values from the end).
 */
export interface ClassifierModel extends Module<[SymbolicTensor], SymbolicTensor> {
  /** The feature maps the backbone exposes, shallow to deep. */
  readonly featureInfo: readonly FeatureInfo[];
  /** Channels of `forwardFeatures`' output. */
  readonly numFeatures: number;
  /** Current classifier size (0 = no classifier). */
  readonly numClasses: number;
  /** The unpooled final feature map. */
  forwardFeatures(x: SymbolicTensor): SymbolicTensor;
  /** Pooling and classifier; with `preLogits` the pooled features. */
  forwardHead(x: SymbolicTensor, preLogits?: boolean): SymbolicTensor;
  /**
   * The feature maps at `indices` (a number n = the last n; default all) and, unless
   * `intermediatesOnly`, the final feature map.
   */
  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options?: IntermediatesOptions,
  ): Intermediates;
  /** Replaces the classifier with a fresh one of `numClasses` outputs (0 removes it). */
  resetClassifier(numClasses: number): void;
  /**
   * Removes what computing the feature maps at `indices` does not need (later stages, the
   * head), as timm's `prune_intermediate_layers`; returns the normalised indices.
   */
  pruneIntermediateLayers(indices?: number | readonly number[]): number[];
}

/**
 * Normalises feature indices against `count` feature maps (timm's `feature_take_indices`): a
 * number n selects the last n, an array its entries (negatives from the end), none all of them.
 * Returns the indices and the largest one.
 */
export function featureTakeIndices(
  count: number,
  indices?: number | readonly number[],
): { indices: number[]; maxIndex: number } {
  let take: number[];
  if (indices === undefined) take = Array.from({ length: count }, (_, i) => i);
  else if (typeof indices === 'number') {
    if (!Number.isInteger(indices) || indices < 1 || indices > count)
      throw new InvalidArgumentError(`feature indices: ${indices} is not in 1..${count}`);
    take = Array.from({ length: indices }, (_, i) => count - indices + i);
  } else {
    take = indices.map((i) => {
      const j = i < 0 ? count + i : i;
      if (!Number.isInteger(j) || j < 0 || j >= count)
        throw new InvalidArgumentError(`feature index ${i} is out of range for ${count} feature maps`);
      return j;
    });
  }
  if (!take.length) throw new InvalidArgumentError('feature indices: none selected');
  return { indices: take, maxIndex: Math.max(...take) };
}

/** A module taking and returning one tensor (a stem or a stage). */
type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/**
 * `forwardIntermediates` of a backbone built as a stem followed by `count` stages, each
 * producing one feature map (`stages.<i>` after `stem`, as ConvNeXt, InceptionNeXt and PVTv2):
 * keeps the maps at `indices` and, unless `intermediatesOnly`, returns the last stage's output
 * as `final` (so `forwardFeatures` must equal stem then all stages).
 */
export function stagedIntermediates(
  stem: Layer,
  stages: Module,
  count: number,
  x: SymbolicTensor,
  indices?: number | readonly number[],
  options: IntermediatesOptions = {},
): Intermediates {
  const { indices: take, maxIndex } = featureTakeIndices(count, indices);
  const intermediates: SymbolicTensor[] = [];
  let y = stem.call(x);
  // Only the stages up to the deepest selected map run when the rest is not wanted.
  const last = options.intermediatesOnly ? maxIndex : count - 1;
  for (let i = 0; i <= last; i++) {
    y = (stages.child(String(i)) as Layer).call(y);
    if (take.includes(i)) intermediates.push(y);
  }
  return options.intermediatesOnly ? { intermediates } : { final: y, intermediates };
}

/**
 * The stage part of `pruneIntermediateLayers` for a backbone whose `count` stages are the children
 * `'0'`…`'count-1'` of `stages`: the stages after the deepest selected map become identities.
 * Returns the normalised indices; the caller prunes its head (and final norm) itself.
 */
export function pruneStages(stages: Module, count: number, indices?: number | readonly number[]): number[] {
  const { indices: take, maxIndex } = featureTakeIndices(count, indices);
  for (let i = maxIndex + 1; i < count; i++) stages.registerModule(String(i), new Identity());
  return take;
}

/**
 * timm's `features_only` model: the backbone's children (after pruning the layers the selected
 * maps do not need and the head) re-registered under their own names, so
 * state-dict keys equal the classifier's minus the classifier's. `forward` returns the feature
 * maps at `outIndices` in network order.
 */
export class FeatureListNet extends Module<[SymbolicTensor], SymbolicTensor[]> {
  /** The selected feature maps. */
  readonly featureInfo: readonly FeatureInfo[];
  /** Normalised indices into the backbone's `featureInfo`. */
  readonly outIndices: readonly number[];

  constructor(
    readonly model: ClassifierModel,
    outIndices?: readonly number[],
  ) {
    super();
    const all = model.featureInfo;
    this.outIndices = model.pruneIntermediateLayers(outIndices);
    this.featureInfo = this.outIndices.map((i) => all[i]!);
    // The backbone's own tensors (class token, position embedding) and its children, shared, so
    // keys stay the backbone's and loading fills both. Pruned layers are identities by now.
    for (const [name, t] of model.ownParameters()) this.registerParameter(name, t);
    for (const [name, t, persistent] of model.ownBuffers()) this.registerBuffer(name, t, { persistent });
    for (const [name, child] of model.namedChildren()) this.registerModule(name, child);
  }

  forward(x: SymbolicTensor): SymbolicTensor[] {
    return this.model.forwardIntermediates(x, this.outIndices, { intermediatesOnly: true }).intermediates;
  }
}
