/**
 * Decoder of NanoDet (GFL head) outputs: per level, class scores `[1, N, C]` and box-edge
 * distributions `[1, N, 4·(regMax+1)]` on that level's grid. Each edge distance is the expected
 * value of a softmax over `0…regMax` bins, times the level's stride, measured from the cell
 * centre `((x + 0.5)·stride, (y + 0.5)·stride)` — as NanoDet's `GFLHead.get_bboxes_single`,
 * `Integral` and `distance2bbox` (RangiLyu/nanodet v0.4.2, `nanodet/model/head/gfl_head.py`).
 * @module
 */
import {
  type DecodeContext,
  type Decoder,
  type Detection,
  InvalidArgumentError,
  type Tensor,
} from '@ocular/core';
import { Candidates, finishDetections, pickClasses } from './candidates.js';
import {
  activateRows,
  badShape,
  checkActivation,
  checkCount,
  checkRank,
  type DetectionDecodeOptions,
  floats,
  type ResolvedDetectionOptions,
  requireOutput,
  resolveDetectionOptions,
  type ScoreActivation,
} from './common.js';

/** The two outputs of one NanoDet level and its stride. */
export interface NanoDetLevel {
  /** Class scores `[1, N, C]`, N = grid cells in row-major (y, x) order. */
  readonly scores: string;
  /** Edge distributions `[1, N, 4·(regMax+1)]`: left, top, right, bottom, each `regMax+1` bins. */
  readonly boxes: string;
  /** Input pixels per grid cell. */
  readonly stride: number;
}

/** Options of {@link NanoDetDecoder}. Serialisable. */
export interface NanoDetDecoderOptions extends DetectionDecodeOptions {
  /**
   * The levels, fine to coarse. Default: strides 8, 16, 32 under the names NanoDet's
   * `tools/export_onnx.py` gives (`cls_pred_stride_8`, `dis_pred_stride_8`, …).
   */
  readonly levels?: readonly NanoDetLevel[];
  /** Largest distance bin (default: inferred from the box output, channels / 4 − 1). */
  readonly regMax?: number;
  /** Classes (default: inferred from the score output). */
  readonly numClasses?: number;
  /** Score activation (default `none`: NanoDet's ONNX export applies the sigmoid in the graph). */
  readonly scoreActivation?: ScoreActivation;
}

/** NanoDet's default strides and the output names of its ONNX export. */
export const NANODET_DEFAULT_LEVELS: readonly NanoDetLevel[] = [8, 16, 32].map((stride) => ({
  scores: `cls_pred_stride_${stride}`,
  boxes: `dis_pred_stride_${stride}`,
  stride,
}));

/**
 * Decodes NanoDet outputs. Defaults follow NanoDet's own post-processing: every class above the
 * threshold is a candidate (`multiclass_nms`), per-class NMS at IoU 0.6, at most 100 detections;
 * the score threshold defaults to 0.05 as in its evaluation (raise it for display).
 */
export class NanoDetDecoder implements Decoder<Detection[]> {
  readonly task = 'detection' as const;
  readonly outputNames: readonly string[];
  readonly options: NanoDetDecoderOptions;
  readonly levels: readonly NanoDetLevel[];
  private readonly resolved: ResolvedDetectionOptions;
  private readonly activation: ScoreActivation;

  constructor(options: NanoDetDecoderOptions = {}) {
    this.options = { ...options };
    this.resolved = resolveDetectionOptions(options, {
      scoreThreshold: 0.05,
      iouThreshold: 0.6,
      maxDetections: 100,
      multiLabel: true,
    });
    this.activation = checkActivation('scoreActivation', options.scoreActivation ?? 'none');
    checkCount('numClasses', options.numClasses);
    checkCount('regMax', options.regMax);
    this.levels = options.levels ?? NANODET_DEFAULT_LEVELS;
    if (this.levels.length === 0) throw new InvalidArgumentError('levels must name at least one level');
    for (const l of this.levels) {
      if (!(Number.isFinite(l.stride) && l.stride > 0))
        throw new InvalidArgumentError(`level stride must be a positive number, got ${l.stride}`);
      if (!l.scores || !l.boxes)
        throw new InvalidArgumentError('each level needs the names of its scores and boxes outputs');
    }
    this.outputNames = [...this.levels.map((l) => l.scores), ...this.levels.map((l) => l.boxes)];
  }

  decode(raw: Readonly<Record<string, Tensor>>, context: DecodeContext): Detection[] {
    const d = 'nanodet decoder';
    const { width: iw, height: ih } = context.transform.input;
    const { scoreThreshold, multiLabel } = this.resolved;
    const out = new Candidates();
    let nc = this.options.numClasses;
    for (const level of this.levels) {
      const { stride } = level;
      // Each level halves the grid with ceil rounding (stride-2 convolutions padded by one).
      const gw = Math.ceil(iw / stride);
      const gh = Math.ceil(ih / stride);
      const n = gw * gh;
      const ncText = nc === undefined ? 'C' : String(nc);
      const scoresT = requireOutput(raw, level.scores, d, `[1, ${n}, ${ncText}]`);
      checkRank(d, level.scores, scoresT, 3, `[1, ${n}, ${ncText}]`);
      if (scoresT.dims[1] !== n)
        badShape(d, level.scores, scoresT, `[1, ${n}, ${ncText}]`, `a ${gw}x${gh} grid at stride ${stride}`);
      const c = scoresT.dims[2]!;
      if (c === 0 || (nc !== undefined && c !== nc))
        badShape(d, level.scores, scoresT, `[1, ${n}, ${ncText}]`, 'class count');
      nc = c;
      const bins = this.options.regMax === undefined ? undefined : this.options.regMax + 1;
      const boxExpected = `[1, ${n}, ${bins === undefined ? '4·(regMax+1)' : 4 * bins}]`;
      const boxesT = requireOutput(raw, level.boxes, d, boxExpected);
      checkRank(d, level.boxes, boxesT, 3, boxExpected);
      const bc = boxesT.dims[2]!;
      if (boxesT.dims[1] !== n) badShape(d, level.boxes, boxesT, boxExpected, `the scores have ${n} cells`);
      if (bc % 4 !== 0 || bc < 8 || (bins !== undefined && bc !== 4 * bins))
        badShape(d, level.boxes, boxesT, boxExpected, 'four distributions of at least two bins');
      const nb = bc / 4;
      const scores = floats(scoresT).slice(0, n * c);
      activateRows(scores, n, c, this.activation);
      const dist = floats(boxesT);
      for (let i = 0; i < n; i++) {
        let boxDone = false;
        let x1 = 0;
        let y1 = 0;
        let x2 = 0;
        let y2 = 0;
        pickClasses(
          c,
          (k) => scores[i * c + k]!,
          scoreThreshold,
          multiLabel,
          (classId, score) => {
            // Only cells with a candidate pay for the four softmax integrals.
            if (!boxDone) {
              const cx = ((i % gw) + 0.5) * stride;
              const cy = (Math.floor(i / gw) + 0.5) * stride;
              const o = i * bc;
              x1 = cx - integral(dist, o, nb) * stride;
              y1 = cy - integral(dist, o + nb, nb) * stride;
              x2 = cx + integral(dist, o + 2 * nb, nb) * stride;
              y2 = cy + integral(dist, o + 3 * nb, nb) * stride;
              // distance2bbox clips to the input (max_shape).
              x1 = clamp(x1, iw);
              y1 = clamp(y1, ih);
              x2 = clamp(x2, iw);
              y2 = clamp(y2, ih);
              boxDone = true;
            }
            out.add(x1, y1, x2, y2, score, classId);
          },
        );
      }
    }
    return finishDetections(out, this.resolved, context);
  }
}

/** Expected bin index `Σ softmax(v)_j · j` of the `nb` logits at `o`. */
function integral(v: ArrayLike<number>, o: number, nb: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < nb; j++) max = Math.max(max, v[o + j]!);
  let sum = 0;
  let acc = 0;
  for (let j = 0; j < nb; j++) {
    const e = Math.exp(v[o + j]! - max);
    sum += e;
    acc += e * j;
  }
  return acc / sum;
}

function clamp(v: number, hi: number): number {
  return Math.min(Math.max(v, 0), hi);
}
