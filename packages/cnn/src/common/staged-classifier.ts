/**
 * The classifier plumbing shared by stem-plus-stages CNNs with a resettable head module named
 * `head` (ConvNeXt's norm-MLP head, InceptionNeXt's MLP head): features, head, intermediates,
 * pruning for features-only models and classifier reset. Subclasses build `stem`, `stages` and
 * `head` in their constructors.
 * @module
 */
import {
  type ClassifierModel,
  type FeatureInfo,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  Module,
  pruneStages,
  type Sequential,
  type SymbolicTensor,
  stagedIntermediates,
} from '@ocular/core';

/** A classifier head that can be re-sized in place. */
export interface ResettableHead extends Module<[SymbolicTensor, boolean?], SymbolicTensor> {
  /** Current classifier size (0: no classifier). */
  readonly numClasses: number;
  /** Replaces the final layer with one of `numClasses` outputs (0: identity). */
  reset(numClasses: number): void;
}

/** A stem, a `Sequential` of stages and a {@link ResettableHead} registered as `head`. */
export abstract class StagedClassifier
  extends Module<[SymbolicTensor], SymbolicTensor>
  implements ClassifierModel
{
  abstract readonly featureInfo: readonly FeatureInfo[];
  abstract readonly numFeatures: number;
  abstract readonly stem: Module<[SymbolicTensor], SymbolicTensor>;
  abstract readonly stages: Sequential;

  /** The head, or `undefined` once pruned for a features-only model. */
  #head(): ResettableHead | undefined {
    const head = this.child('head');
    return head instanceof Identity ? undefined : (head as ResettableHead);
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#head()?.numClasses ?? 0;
  }

  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0)
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    const head = this.#head();
    if (!head) throw new InvalidArgumentError('resetClassifier: the head was pruned');
    head.reset(numClasses);
  }

  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    return this.stages.call(this.stem.call(x));
  }

  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    return (this.child('head') as Module<[SymbolicTensor, boolean?], SymbolicTensor>).call(x, preLogits);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    return stagedIntermediates(this.stem, this.stages, this.featureInfo.length, x, indices, options);
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const take = pruneStages(this.stages, this.featureInfo.length, indices);
    // timm's features models of these families keep no head at all (its norm included).
    this.registerModule('head', new Identity());
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}
