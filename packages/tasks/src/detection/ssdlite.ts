/**
 * torchvision's SSDLite (`ssdlite320_mobilenet_v3_large`): the MobileNetV3 feature extractor
 * split at C4 plus four extra blocks (`backbone.features.0/1`, `backbone.extra.<i>`), depthwise
 * prediction heads (`head.classification_head/regression_head.module_list.<i>`), SSD default
 * boxes and torchvision's post-processing. Keys match torchvision's state dict exactly.
 * @module
 */
import {
  Conv2d,
  type DecodeContext,
  type Detection,
  type FeatureInfo,
  InvalidArgumentError,
  Module,
  ModuleList,
  Sequential,
  type SymbolicTensor,
  type TaskModule,
  type Tensor,
} from '@ocular/core';
import {
  TV_MOBILENET_V3_BN_EPS,
  TvInvertedResidual,
  TvMobileNetV3,
  type TvMobileNetV3Options,
} from '../backbones/index.js';
import { conv2dNormActivation } from '../backbones/tv-layers.js';
import { toDetections } from '../postprocess/index.js';
import { type DefaultBoxOptions, defaultBoxesPerLocation, gridSizes, ssdDefaultBoxes } from './anchors.js';
import { COCO_91_LABELS } from './coco-labels.js';
import { concatLevels, flattenLevel } from './head-layout.js';
import { type DetectionThresholds, type RawDetections, rawRows, ssdPostprocess } from './tv-postprocess.js';

const EPS = TV_MOBILENET_V3_BN_EPS;

/** torchvision's `_extra_block`: 1×1 to half width, depthwise 3×3 stride 2, 1×1 out; ReLU6. */
function extraBlock(inChannels: number, outChannels: number): Sequential {
  const mid = Math.floor(outChannels / 2);
  return new Sequential([
    conv2dNormActivation(inChannels, mid, { kernelSize: 1, eps: EPS, activation: 'relu6' }),
    conv2dNormActivation(mid, mid, { kernelSize: 3, stride: 2, groups: mid, eps: EPS, activation: 'relu6' }),
    conv2dNormActivation(mid, outChannels, { kernelSize: 1, eps: EPS, activation: 'relu6' }),
  ]);
}

/** Options of {@link SSDLiteFeatureExtractorMobileNet}. */
export interface SSDLiteExtractorOptions
  extends Omit<TvMobileNetV3Options, 'featuresOnly' | 'outIndices' | 'numClasses'> {
  /** Width multiplier of the extra blocks (torchvision's extractor `width_mult`, default 1). */
  readonly extraWidthMult?: number;
  /** Minimum width of the extra blocks (default 16). */
  readonly minDepth?: number;
}

/**
 * torchvision's `SSDLiteFeatureExtractorMobileNet`: `features.0` runs the MobileNetV3 up to the
 * C4 block's expansion, `features.1` the rest; four extra blocks halve the resolution further.
 * Returns six maps (strides 16 … 512).
 */
export class SSDLiteFeatureExtractorMobileNet extends Module<[SymbolicTensor], SymbolicTensor[]> {
  readonly features: Sequential;
  readonly extra: ModuleList<Sequential>;
  readonly featureInfo: readonly FeatureInfo[];

  constructor(options: SSDLiteExtractorOptions = {}) {
    super();
    const { extraWidthMult = 1, minDepth = 16, ...mobilenet } = options;
    // Without backbone weights torchvision builds the reduced tail (the COCO checkpoint's layout).
    const net = new TvMobileNetV3({ reducedTail: true, ...mobilenet, featuresOnly: true });
    const layers = [...net.features] as Module<[SymbolicTensor], SymbolicTensor>[];
    // C4 is the last block that reduces resolution (torchvision's stage_indices[-2]).
    const c4 = layers.reduce((last, m, i) => (m instanceof TvInvertedResidual && m.isCn ? i : last), -1);
    const c4Block = layers[c4] as TvInvertedResidual;
    if (c4Block.useResConnect) throw new InvalidArgumentError('SSDLite: the C4 block must not be residual');
    const blockParts = [...c4Block.block];
    const first = new Sequential([...layers.slice(0, c4), blockParts[0]!]);
    // The C4 block's remaining layers keep their indices (`features.1.0.1`, ...), as slicing an
    // nn.Sequential does.
    const rest = Sequential.fromEntries(blockParts.slice(1).map((m, j) => [String(j + 1), m] as const));
    const second = new Sequential([rest, ...layers.slice(c4 + 1)]);
    this.features = this.registerModule('features', new Sequential([first, second]));
    const depth = (d: number) => Math.max(minDepth, Math.floor(d * extraWidthMult));
    const lastChs = net.allFeatureInfo.at(-1)!.numChs;
    const widths = [depth(512), depth(256), depth(256), depth(128)];
    const extra = new ModuleList<Sequential>(
      widths.map((w, i) => extraBlock(i === 0 ? lastChs : widths[i - 1]!, w)),
    );
    this.extra = this.registerModule('extra', extra);
    const c4Info = net.allFeatureInfo[c4]!;
    const expanded = (blockParts[0]!.child('0') as Conv2d).outChannels;
    this.featureInfo = [
      { numChs: expanded, reduction: c4Info.reduction / 2, module: 'features.0' },
      { numChs: lastChs, reduction: c4Info.reduction, module: 'features.1' },
      ...widths.map((w, i) => ({
        numChs: w,
        reduction: c4Info.reduction * 2 ** (i + 1),
        module: `extra.${i}`,
      })),
    ];
  }

  forward(x: SymbolicTensor): SymbolicTensor[] {
    const out: SymbolicTensor[] = [];
    let y = x;
    for (const block of [...this.features, ...this.extra] as Module<[SymbolicTensor], SymbolicTensor>[]) {
      y = block.call(y);
      out.push(y);
    }
    return out;
  }
}

/**
 * torchvision's `SSDScoringHead`: one module per level; outputs `[N, H·W·A, columns]`
 * (location-major, then anchor), concatenated over levels.
 */
export class SSDScoringHead extends Module<[SymbolicTensor[]], SymbolicTensor> {
  readonly moduleList: ModuleList<Module<[SymbolicTensor], SymbolicTensor>>;
  readonly numColumns: number;

  constructor(modules: readonly Module<[SymbolicTensor], SymbolicTensor>[], numColumns: number) {
    super();
    this.moduleList = this.registerModule('module_list', new ModuleList(modules));
    this.numColumns = numColumns;
  }

  forward(features: SymbolicTensor[]): SymbolicTensor {
    if (features.length !== this.moduleList.length)
      throw new InvalidArgumentError(
        `SSD head: ${features.length} feature maps for ${this.moduleList.length} levels`,
      );
    return concatLevels(
      features.map((f, i) => flattenLevel(this.moduleList.get(i).call(f), this.numColumns)),
    );
  }
}

/** torchvision's `_prediction_block`: depthwise 3×3 conv-BN-ReLU6, then a 1×1 conv with bias. */
function predictionBlock(inChannels: number, outChannels: number): Sequential {
  return new Sequential([
    conv2dNormActivation(inChannels, inChannels, {
      kernelSize: 3,
      groups: inChannels,
      eps: EPS,
      activation: 'relu6',
    }),
    new Conv2d(inChannels, outChannels, 1),
  ]);
}

/** torchvision's `SSDLiteHead` (`classification_head`, `regression_head`). */
export class SSDLiteHead extends Module<[SymbolicTensor[]], Record<string, SymbolicTensor>> {
  readonly classificationHead: SSDScoringHead;
  readonly regressionHead: SSDScoringHead;

  constructor(inChannels: readonly number[], numAnchors: readonly number[], numClasses: number) {
    super();
    this.classificationHead = this.registerModule(
      'classification_head',
      new SSDScoringHead(
        inChannels.map((c, i) => predictionBlock(c, numClasses * numAnchors[i]!)),
        numClasses,
      ),
    );
    this.regressionHead = this.registerModule(
      'regression_head',
      new SSDScoringHead(
        inChannels.map((c, i) => predictionBlock(c, 4 * numAnchors[i]!)),
        4,
      ),
    );
  }

  forward(features: SymbolicTensor[]): Record<string, SymbolicTensor> {
    return {
      cls_logits: this.classificationHead.call(features),
      bbox_regression: this.regressionHead.call(features),
    };
  }
}

/** Options of {@link SSDLite}. */
export interface SSDLiteOptions extends SSDLiteExtractorOptions, Partial<DetectionThresholds> {
  /** Classes including the background (default 91, COCO as torchvision). */
  readonly numClasses?: number;
  /** Default-box settings (default: torchvision's `[2, 3]` per level, scales 0.2–0.95). */
  readonly defaultBoxes?: DefaultBoxOptions;
}

/** torchvision's SSDLite320 defaults. */
export const SSDLITE_DEFAULTS = {
  scoreThresh: 0.001,
  nmsThresh: 0.55,
  detectionsPerImg: 300,
  topkCandidates: 300,
} as const satisfies DetectionThresholds;

/**
 * SSDLite as a {@link TaskModule}: `forward` maps a normalised image (mean 0.5, std 0.5) to
 * `cls_logits` `[N, anchors, classes]` and `bbox_regression` `[N, anchors, 4]`; `decode` runs
 * torchvision's post-processing and maps the boxes to the source image.
 */
export class SSDLite
  extends Module<[SymbolicTensor], Record<string, SymbolicTensor>>
  implements TaskModule<Detection[]>
{
  readonly task = 'detection' as const;
  readonly outputNames = ['cls_logits', 'bbox_regression'] as const;
  readonly backbone: SSDLiteFeatureExtractorMobileNet;
  readonly head: SSDLiteHead;
  readonly numClasses: number;
  readonly thresholds: DetectionThresholds;
  readonly defaultBoxes: DefaultBoxOptions;

  constructor(options: SSDLiteOptions = {}) {
    super();
    const {
      numClasses = 91,
      defaultBoxes,
      scoreThresh,
      nmsThresh,
      detectionsPerImg,
      topkCandidates,
      ...extractor
    } = options;
    this.numClasses = numClasses;
    this.thresholds = {
      scoreThresh: scoreThresh ?? SSDLITE_DEFAULTS.scoreThresh,
      nmsThresh: nmsThresh ?? SSDLITE_DEFAULTS.nmsThresh,
      detectionsPerImg: detectionsPerImg ?? SSDLITE_DEFAULTS.detectionsPerImg,
      topkCandidates: topkCandidates ?? SSDLITE_DEFAULTS.topkCandidates,
    };
    this.backbone = this.registerModule('backbone', new SSDLiteFeatureExtractorMobileNet(extractor));
    const levels = this.backbone.featureInfo.length;
    this.defaultBoxes = defaultBoxes ?? {
      aspectRatios: Array.from({ length: levels }, () => [2, 3]),
      minRatio: 0.2,
      maxRatio: 0.95,
    };
    const perLocation = defaultBoxesPerLocation(this.defaultBoxes.aspectRatios);
    this.head = this.registerModule(
      'head',
      new SSDLiteHead(
        this.backbone.featureInfo.map((f) => f.numChs),
        perLocation,
        numClasses,
      ),
    );
  }

  forward(x: SymbolicTensor): Record<string, SymbolicTensor> {
    return this.head.call(this.backbone.call(x));
  }

  /** The default boxes (flat `x1, y1, x2, y2`, input pixels) for an input of `height × width`. */
  anchors(height: number, width: number): Float32Array {
    const grids = gridSizes(
      height,
      width,
      this.backbone.featureInfo.map((f) => f.reduction),
    );
    return ssdDefaultBoxes(grids, height, width, this.defaultBoxes);
  }

  /** torchvision's detections of batch item 0, in input pixels (before mapping to the source). */
  postprocess(
    raw: Readonly<Record<string, Tensor>>,
    input: { width: number; height: number },
  ): RawDetections {
    const anchors = this.anchors(input.height, input.width);
    const n = anchors.length / 4;
    const cls = rawRows(raw, 'cls_logits', this.numClasses, n);
    const reg = rawRows(raw, 'bbox_regression', 4, n);
    return ssdPostprocess(cls, reg, anchors, this.numClasses, input, this.thresholds);
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Detection[] {
    const d = this.postprocess(raw, context.transform.input);
    const keep = Array.from(d.scores, (_, i) => i);
    return toDetections(d.boxes, d.scores, d.labels, keep, {
      ...context,
      labels: context.labels ?? (this.numClasses === 91 ? COCO_91_LABELS : undefined),
    });
  }
}
