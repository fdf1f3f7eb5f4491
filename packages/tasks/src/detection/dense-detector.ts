/**
 * torchvision's one-stage FPN detectors as task modules: {@link RetinaNet} and {@link FCOS}
 * (`backbone.body.*` ResNet, `backbone.fpn.*` FPN, `head.*`). `forward` returns the head's raw
 * outputs; `decode` generates the anchors for the input size, runs torchvision's
 * post-processing and maps the boxes to the source image.
 * @module
 */
import {
  type DecodeContext,
  DecodeError,
  type Detection,
  Module,
  type SymbolicTensor,
  type TaskModule,
  type Tensor,
} from '@ocular/core';
import { toDetections } from '../postprocess/index.js';
import { gridAnchors, gridSizes } from './anchors.js';
import { COCO_91_LABELS } from './coco-labels.js';
import { FCOSHead, RetinaNetHead } from './dense-heads.js';
import { BackboneWithFPN, type FeatureBody } from './fpn.js';
import {
  type DetectionThresholds,
  denseDetectorPostprocess,
  type RawDetections,
  rawRows,
} from './tv-postprocess.js';

/** Options common to {@link RetinaNet} and {@link FCOS}. */
export interface DenseDetectorOptions extends Partial<DetectionThresholds> {
  /** The features-only body (its maps feed the FPN; torchvision: ResNet-50 layer2..4). */
  readonly body: FeatureBody;
  /** Classes (default 91, COCO as torchvision; RetinaNet and FCOS have no background logit skipped). */
  readonly numClasses?: number;
  /** FPN width (default 256). */
  readonly fpnChannels?: number;
  /** Anchor sizes per level (default: the builder's). */
  readonly anchorSizes?: readonly (readonly number[])[];
  /** Anchor aspect ratios per level (default: the builder's). */
  readonly aspectRatios?: readonly (readonly number[])[];
}

abstract class DenseDetector
  extends Module<[SymbolicTensor], Record<string, SymbolicTensor>>
  implements TaskModule<Detection[]>
{
  readonly task = 'detection' as const;
  abstract readonly outputNames: readonly string[];
  readonly backbone: BackboneWithFPN;
  readonly numClasses: number;
  readonly thresholds: DetectionThresholds;
  readonly anchorSizes: readonly (readonly number[])[];
  readonly aspectRatios: readonly (readonly number[])[];
  protected abstract readonly kind: 'retinanet' | 'fcos';

  constructor(
    options: DenseDetectorOptions,
    defaults: DetectionThresholds & {
      anchorSizes: readonly (readonly number[])[];
      aspectRatios: readonly (readonly number[])[];
    },
  ) {
    super();
    this.numClasses = options.numClasses ?? 91;
    this.thresholds = {
      scoreThresh: options.scoreThresh ?? defaults.scoreThresh,
      nmsThresh: options.nmsThresh ?? defaults.nmsThresh,
      detectionsPerImg: options.detectionsPerImg ?? defaults.detectionsPerImg,
      topkCandidates: options.topkCandidates ?? defaults.topkCandidates,
    };
    this.anchorSizes = options.anchorSizes ?? defaults.anchorSizes;
    this.aspectRatios = options.aspectRatios ?? defaults.aspectRatios;
    const width = options.fpnChannels ?? 256;
    this.backbone = this.registerModule(
      'backbone',
      new BackboneWithFPN(options.body, width, { type: 'p6p7', inChannels: width }),
    );
  }

  /** Anchors per location. */
  get numAnchors(): number {
    return this.anchorSizes[0]!.length * this.aspectRatios[0]!.length;
  }

  /** torchvision's anchors (flat `x1, y1, x2, y2`, input pixels) and their count per level. */
  anchors(height: number, width: number): { anchors: Float32Array; perLevel: number[] } {
    const grids = gridSizes(
      height,
      width,
      this.backbone.featureInfo.map((f) => f.reduction),
    );
    const perLevel = grids.map(
      ([h, w], k) => h * w * this.anchorSizes[k]!.length * this.aspectRatios[k]!.length,
    );
    return { anchors: gridAnchors(grids, height, width, this.anchorSizes, this.aspectRatios), perLevel };
  }

  /** torchvision's detections of batch item 0, in input pixels (before mapping to the source). */
  postprocess(
    raw: Readonly<Record<string, Tensor>>,
    input: { width: number; height: number },
  ): RawDetections {
    const { anchors, perLevel } = this.anchors(input.height, input.width);
    const n = anchors.length / 4;
    const cls = rawRows(raw, 'cls_logits', this.numClasses, n);
    const reg = rawRows(raw, 'bbox_regression', 4, n);
    const ctr = this.kind === 'fcos' ? rawRows(raw, 'bbox_ctrness', 1, n) : undefined;
    if (this.kind === 'fcos' && !ctr) throw new DecodeError('FCOS output bbox_ctrness is missing');
    return denseDetectorPostprocess(
      this.kind,
      cls,
      reg,
      ctr,
      anchors,
      perLevel,
      this.numClasses,
      input,
      this.thresholds,
    );
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Detection[] {
    const d = this.postprocess(raw, context.transform.input);
    return toDetections(
      d.boxes,
      d.scores,
      d.labels,
      Array.from(d.scores, (_, i) => i),
      { ...context, labels: context.labels ?? (this.numClasses === 91 ? COCO_91_LABELS : undefined) },
    );
  }
}

/** torchvision's RetinaNet defaults (`retinanet_resnet50_fpn`). */
export const RETINANET_DEFAULTS = {
  scoreThresh: 0.05,
  nmsThresh: 0.5,
  detectionsPerImg: 300,
  topkCandidates: 1000,
  // _default_anchorgen: sizes x·2^(0, 1/3, 2/3) for x = 32..512, ratios 0.5, 1, 2.
  anchorSizes: [32, 64, 128, 256, 512].map((x) => [
    x,
    Math.trunc(x * 2 ** (1 / 3)),
    Math.trunc(x * 2 ** (2 / 3)),
  ]),
  aspectRatios: Array.from({ length: 5 }, () => [0.5, 1, 2]),
} as const;

/** torchvision's FCOS defaults (`fcos_resnet50_fpn`). */
export const FCOS_DEFAULTS = {
  scoreThresh: 0.2,
  nmsThresh: 0.6,
  detectionsPerImg: 100,
  topkCandidates: 1000,
  anchorSizes: [[8], [16], [32], [64], [128]],
  aspectRatios: Array.from({ length: 5 }, () => [1]),
} as const;

/**
 * torchvision's RetinaNet (v1 head): sigmoid class scores per anchor (9 per location), box
 * deltas with weights 1, 1, 1, 1. Outputs `cls_logits` `[N, anchors, classes]` and
 * `bbox_regression` `[N, anchors, 4]`.
 */
export class RetinaNet extends DenseDetector {
  readonly outputNames = ['cls_logits', 'bbox_regression'] as const;
  readonly head: RetinaNetHead;
  protected readonly kind = 'retinanet' as const;

  constructor(options: DenseDetectorOptions) {
    super(options, RETINANET_DEFAULTS);
    this.head = this.registerModule(
      'head',
      new RetinaNetHead(this.backbone.featureInfo[0]!.numChs, this.numAnchors, this.numClasses),
    );
  }

  forward(x: SymbolicTensor): Record<string, SymbolicTensor> {
    return this.head.call(this.backbone.call(x));
  }
}

/** Options of {@link FCOS}. */
export interface FCOSOptions extends DenseDetectorOptions {
  /** GroupNorm groups in the head towers (torchvision: 32). */
  readonly numGroups?: number;
}

/**
 * torchvision's FCOS: one anchor per location, scores `sqrt(sigmoid(cls) · sigmoid(ctrness))`,
 * boxes as edge distances in units of the anchor size. Outputs `cls_logits`,
 * `bbox_regression` and `bbox_ctrness` `[N, locations, 1]`.
 */
export class FCOS extends DenseDetector {
  readonly outputNames = ['cls_logits', 'bbox_regression', 'bbox_ctrness'] as const;
  readonly head: FCOSHead;
  protected readonly kind = 'fcos' as const;

  constructor(options: FCOSOptions) {
    super(options, FCOS_DEFAULTS);
    this.head = this.registerModule(
      'head',
      new FCOSHead(
        this.backbone.featureInfo[0]!.numChs,
        this.numAnchors,
        this.numClasses,
        4,
        options.numGroups ?? 32,
      ),
    );
  }

  forward(x: SymbolicTensor): Record<string, SymbolicTensor> {
    return this.head.call(this.backbone.call(x));
  }
}
