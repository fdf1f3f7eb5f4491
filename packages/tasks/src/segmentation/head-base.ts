/**
 * The base of the generic segmentation heads: a {@link TaskHead} from feature maps to `logits`
 * at the input size, and the readers of their serialisable `config`.
 * @module
 */
import {
  type DecodeContext,
  type FeatureInfo,
  type HeadBuildOptions,
  InvalidArgumentError,
  Module,
  type Segmentation,
  ShapeError,
  type SymbolicTensor,
  type TaskHead,
  type Tensor,
} from '@ocular/core';
import { decodeSegmentationLogits, SEGMENTATION_OUTPUT } from './decode.js';
import { resizeBilinear, spatialSize } from './ops.js';

/** Default class count of the generic heads (Pascal VOC's, as the torchvision builders). */
export const DEFAULT_SEGMENTATION_CLASSES = 21;

/**
 * A segmentation head: `predict` maps the feature maps (shallow to deep, as `featureInfo`) to
 * class scores at some resolution; `forward` resizes them to the input (bilinear,
 * `align_corners=False`) as `{ logits }`.
 */
export abstract class SegmentationHead
  extends Module<[SymbolicTensor[], SymbolicTensor], Record<string, SymbolicTensor>>
  implements TaskHead<Segmentation>
{
  readonly task = 'segmentation' as const;
  readonly outputNames: readonly string[] = [SEGMENTATION_OUTPUT];
  /** The feature maps the head is fed. */
  readonly featureInfo: readonly FeatureInfo[];
  readonly numClasses: number;
  /** Labels by class id (from `config.labels`), used when the decode context has none. */
  readonly labels?: readonly string[];

  protected constructor(name: string, options: HeadBuildOptions) {
    super();
    if (!options.featureInfo?.length) throw new InvalidArgumentError(`${name}: featureInfo is empty`);
    this.featureInfo = options.featureInfo;
    this.numClasses = options.numClasses ?? DEFAULT_SEGMENTATION_CLASSES;
    if (!Number.isInteger(this.numClasses) || this.numClasses < 1)
      throw new InvalidArgumentError(
        `${name}: numClasses must be a positive integer, got ${this.numClasses}`,
      );
    const labels = options.config?.labels;
    if (labels !== undefined) {
      if (
        !Array.isArray(labels) ||
        labels.length !== this.numClasses ||
        labels.some((l) => typeof l !== 'string')
      )
        throw new InvalidArgumentError(`${name}: config.labels must be ${this.numClasses} strings`);
      this.labels = labels as string[];
    }
  }

  /** Class scores from the feature maps, at the head's own resolution. */
  protected abstract predict(features: readonly SymbolicTensor[]): SymbolicTensor;

  forward(features: SymbolicTensor[], input: SymbolicTensor): Record<string, SymbolicTensor> {
    if (features.length !== this.featureInfo.length) {
      throw new ShapeError(
        `${this.constructor.name}: built for ${this.featureInfo.length} feature maps, got ${features.length}`,
      );
    }
    const size = spatialSize(input, `${this.constructor.name} input`);
    return { [SEGMENTATION_OUTPUT]: resizeBilinear(this.predict(features), size) };
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Segmentation {
    return decodeSegmentationLogits(raw, context, this.labels);
  }
}

/** A positive integer from a head's `config`, or its default. */
export function configInt(
  config: HeadBuildOptions['config'],
  key: string,
  dflt: number,
  head: string,
): number {
  const v = config?.[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new InvalidArgumentError(`${head}: config.${key} must be a positive integer, got ${String(v)}`);
  return v;
}

/** A list of positive integers from a head's `config`, or its default. */
export function configInts(
  config: HeadBuildOptions['config'],
  key: string,
  dflt: readonly number[],
  head: string,
): number[] {
  const v = config?.[key] ?? dflt;
  if (!Array.isArray(v) || !v.length || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 1))
    throw new InvalidArgumentError(
      `${head}: config.${key} must be a non-empty list of positive integers, got ${JSON.stringify(v)}`,
    );
  return [...v];
}
