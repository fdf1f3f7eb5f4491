/**
 * torchvision's `_SimpleSegmentationModel` (FCN, DeepLabV3) and `LRASPP` as one
 * {@link TaskModule}: `backbone`, `classifier` and optional `aux_classifier`, class scores
 * upsampled (bilinear, `align_corners=False`) to the input size.
 * @module
 */
import {
  type DecodeContext,
  InvalidArgumentError,
  Module,
  type Segmentation,
  type SymbolicTensor,
  type TaskModule,
  type Tensor,
} from '@ocular/core';
import { decodeSegmentationLogits, SEGMENTATION_OUTPUT } from './decode.js';
import { resizeBilinear, spatialSize } from './ops.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** What the torchvision segmentation weights expect of an input (their `transforms()`). */
export interface SegmentationPreprocess {
  /** `[channels, height, width]` the weights were evaluated at (torchvision resizes to 520). */
  readonly defaultInputSize: readonly [number, number, number];
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** ImageNet normalisation and torchvision's evaluation size of its segmentation weights. */
export const TV_SEGMENTATION_PREPROCESS: SegmentationPreprocess = Object.freeze({
  defaultInputSize: [3, 520, 520] as const,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
});

/** The parts of a {@link TvSegmentationModel}. */
export interface TvSegmentationParts {
  /** Returns the feature maps the classifiers read (torchvision's `IntermediateLayerGetter`). */
  readonly backbone: Module<[SymbolicTensor], SymbolicTensor[]>;
  /** Fed the backbone maps at `classifierInputs`, in that order. */
  readonly classifier: Module<SymbolicTensor[], SymbolicTensor>;
  readonly classifierInputs: readonly number[];
  /** torchvision's `aux_classifier` (present in the official checkpoints). */
  readonly auxClassifier?: Layer;
  /** Backbone map the auxiliary classifier reads; when given, the graph also outputs `aux`. */
  readonly auxInput?: number;
  readonly numClasses: number;
  readonly labels?: readonly string[];
  readonly preprocess?: SegmentationPreprocess;
}

/**
 * A torchvision segmentation network: `forward` returns `{ logits }` (`[N, classes, H, W]` at
 * the input size; torchvision's `out`), plus `aux` when the auxiliary branch is traced.
 */
export class TvSegmentationModel
  extends Module<[SymbolicTensor], Record<string, SymbolicTensor>>
  implements TaskModule<Segmentation>
{
  readonly task = 'segmentation' as const;
  readonly outputNames: readonly string[];
  readonly numClasses: number;
  readonly labels?: readonly string[];
  readonly preprocess: SegmentationPreprocess;
  readonly backbone: Module<[SymbolicTensor], SymbolicTensor[]>;
  readonly classifier: Module<SymbolicTensor[], SymbolicTensor>;
  readonly aux_classifier?: Layer;
  readonly #classifierInputs: readonly number[];
  readonly #auxInput?: number;

  constructor(parts: TvSegmentationParts) {
    super();
    if (parts.auxInput !== undefined && !parts.auxClassifier) {
      throw new InvalidArgumentError('TvSegmentationModel: auxInput needs an auxClassifier');
    }
    this.backbone = this.registerModule('backbone', parts.backbone);
    this.classifier = this.registerModule('classifier', parts.classifier);
    if (parts.auxClassifier) this.aux_classifier = this.registerModule('aux_classifier', parts.auxClassifier);
    this.#classifierInputs = [...parts.classifierInputs];
    this.#auxInput = parts.auxInput;
    this.numClasses = parts.numClasses;
    this.labels = parts.labels;
    this.preprocess = parts.preprocess ?? TV_SEGMENTATION_PREPROCESS;
    this.outputNames = parts.auxInput === undefined ? [SEGMENTATION_OUTPUT] : [SEGMENTATION_OUTPUT, 'aux'];
  }

  forward(x: SymbolicTensor): Record<string, SymbolicTensor> {
    const size = spatialSize(x, 'TvSegmentationModel input');
    const maps = this.backbone.call(x);
    const pick = (i: number) => {
      const m = maps[i];
      if (!m) throw new InvalidArgumentError(`TvSegmentationModel: the backbone returned no map ${i}`);
      return m;
    };
    const logits = resizeBilinear(this.classifier.call(...this.#classifierInputs.map(pick)), size);
    if (this.#auxInput === undefined || !this.aux_classifier) return { [SEGMENTATION_OUTPUT]: logits };
    return {
      [SEGMENTATION_OUTPUT]: logits,
      aux: resizeBilinear(this.aux_classifier.call(pick(this.#auxInput)), size),
    };
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Segmentation {
    return decodeSegmentationLogits(raw, context, this.labels);
  }
}
