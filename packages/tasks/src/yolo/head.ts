/**
 * An anchor-free, decoupled YOLO detection head in the shape of Ultralytics' YOLOv8 `Detect`
 * (state-dict keys `cv2.<level>.*` box branch, `cv3.<level>.*` class branch, `dfl.conv.weight`),
 * decoding boxes inside the graph to the YOLOv8 output format `[B, 4 + nc, N]`: `cx, cy, w, h`
 * in input pixels, then sigmoid class scores.
 * @module
 */
import {
  batchNormAct2d,
  Conv2d,
  ConvNormAct,
  type DecodeContext,
  type Detection,
  F,
  type FeatureInfo,
  type HeadBuildOptions,
  InvalidArgumentError,
  Module,
  ModuleList,
  Sequential,
  ShapeError,
  type SymbolicTensor,
  type TaskHead,
  type Tensor,
} from '@ocular/core';
import { YoloV8Decoder } from '../decoders/yolo.js';
import { makeAnchorPoints } from './anchors.js';
import { resolveYoloHeadConfig, type YoloHeadConfig } from './config.js';
import { DFL } from './dfl.js';

/** Ultralytics' `Conv`: conv (no bias) → batch norm (eps 1e-3) → SiLU, 3×3 here. */
function convBnSilu(cin: number, cout: number, eps: number): ConvNormAct {
  return new ConvNormAct(cin, cout, { kernelSize: 3, actLayer: 'silu', normLayer: batchNormAct2d(eps) });
}

/**
 * YOLOv8-style detection head: per feature level a box branch (two conv-bn-SiLU, then a 1×1
 * conv to `4 × regMax` distribution logits) and a class branch (two conv-bn-SiLU, then a 1×1
 * conv to `numClasses` logits). The box distributions are integrated by {@link DFL}, turned into
 * boxes around each cell centre and scaled by the level's stride. Output `{ output }` of shape
 * `[B, 4 + numClasses, N]` (N = cells over all levels), decoded by {@link YoloV8Decoder}.
 */
export class YoloV8Head
  extends Module<[SymbolicTensor[], SymbolicTensor], Record<string, SymbolicTensor>>
  implements TaskHead<Detection[]>
{
  readonly task = 'detection' as const;
  readonly outputNames: readonly string[] = ['output'];
  readonly cv2: ModuleList<Sequential>;
  readonly cv3: ModuleList<Sequential>;
  readonly dfl: DFL;
  readonly featureInfo: readonly FeatureInfo[];
  readonly numClasses: number;
  readonly regMax: number;
  readonly config: YoloHeadConfig;
  readonly decoder: YoloV8Decoder;

  constructor(options: HeadBuildOptions) {
    super();
    const { featureInfo, numClasses } = options;
    if (!featureInfo?.length) throw new InvalidArgumentError('YOLO head: featureInfo lists no feature maps');
    if (!(Number.isInteger(numClasses) && numClasses! >= 1))
      throw new InvalidArgumentError(`YOLO head: numClasses must be a positive integer, got ${numClasses}`);
    const nc = numClasses!;
    const cfg = resolveYoloHeadConfig(options.config ?? {});
    this.featureInfo = featureInfo.map((f) => ({ ...f }));
    this.numClasses = nc;
    this.regMax = cfg.regMax;
    this.config = cfg;
    const ch0 = featureInfo[0]!.numChs;
    // Ultralytics' branch widths.
    const c2 = cfg.boxChannels ?? Math.max(16, Math.floor(ch0 / 4), cfg.regMax * 4);
    const c3 = cfg.clsChannels ?? Math.max(ch0, Math.min(nc, 100));
    this.cv2 = this.registerModule(
      'cv2',
      new ModuleList(
        featureInfo.map(
          (f) =>
            new Sequential([
              convBnSilu(f.numChs, c2, cfg.bnEps),
              convBnSilu(c2, c2, cfg.bnEps),
              new Conv2d(c2, 4 * cfg.regMax, 1),
            ]),
        ),
      ),
    );
    this.cv3 = this.registerModule(
      'cv3',
      new ModuleList(
        featureInfo.map(
          (f) =>
            new Sequential([
              convBnSilu(f.numChs, c3, cfg.bnEps),
              convBnSilu(c3, c3, cfg.bnEps),
              new Conv2d(c3, nc, 1),
            ]),
        ),
      ),
    );
    this.dfl = this.registerModule('dfl', new DFL(cfg.regMax));
    this.initBiases();
    this.decoder = new YoloV8Decoder({
      ...cfg.decoder,
      numClasses: nc,
      layout: 'channels-first',
      outputName: 'output',
    });
  }

  /**
   * Ultralytics' `bias_init`: box logits start at 1; class logits at `log(5 / nc / (640 / s)²)`
   * (about five objects per 640-pixel image), so an untrained head scores low.
   */
  private initBiases(): void {
    this.featureInfo.forEach((f, i) => {
      const box = this.cv2.get(i).child('2') as Conv2d;
      const cls = this.cv3.get(i).child('2') as Conv2d;
      box.bias!.data.fill(1);
      cls.bias!.data.fill(Math.log(5 / this.numClasses / (640 / f.reduction) ** 2));
    });
  }

  forward(features: SymbolicTensor[], _input: SymbolicTensor): Record<string, SymbolicTensor> {
    if (features.length !== this.featureInfo.length)
      throw new ShapeError(
        `YOLO head: got ${features.length} feature maps, built for ${this.featureInfo.length}`,
      );
    const levels = features.map((x, i) => {
      const [, c, h, w] = x.shape;
      const info = this.featureInfo[i]!;
      if (x.shape.length !== 4 || c !== info.numChs)
        throw new ShapeError(
          `YOLO head: feature ${i} has shape [${x.shape.join(', ')}], expected [B, ${info.numChs}, H, W]`,
        );
      if (typeof h !== 'number' || typeof w !== 'number')
        throw new ShapeError(`YOLO head: feature ${i} needs a static height and width to place its anchors`);
      return { height: h, width: w, stride: info.reduction };
    });
    const r = this.regMax;
    const nc = this.numClasses;
    const per = features.map((x, i) => {
      const y = F.concat([this.cv2.get(i).call(x), this.cv3.get(i).call(x)], 1);
      return F.reshape(y, [-1, 4 * r + nc, levels[i]!.height * levels[i]!.width]);
    });
    const all = per.length === 1 ? per[0]! : F.concat(per, 2);
    const [dist, cls] = F.split(all, [4 * r, nc], 1) as [SymbolicTensor, SymbolicTensor];
    const { points, strides } = makeAnchorPoints(levels);
    // dist2bbox: left/top and right/bottom distances around each cell centre, in cells.
    const [lt, rb] = F.split(this.dfl.call(dist), [2, 2], 1) as [SymbolicTensor, SymbolicTensor];
    const x1y1 = F.sub(points, lt);
    const x2y2 = F.add(points, rb);
    const cxy = F.mul(F.add(x1y1, x2y2), 0.5);
    const wh = F.sub(x2y2, x1y1);
    const boxes = F.mul(F.concat([cxy, wh], 1), strides);
    return { output: F.concat([boxes, F.sigmoid(cls)], 1) };
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Detection[] {
    return this.decoder.decode(raw, context);
  }
}

/** A `HeadFactory` building a {@link YoloV8Head} from the features it will be fed. */
export function createYoloV8Head(options: HeadBuildOptions): YoloV8Head {
  return new YoloV8Head(options);
}
