/**
 * Detection kernels: NonMaxSuppression (greedy, per batch and class) and RoiAlign (bilinear
 * sampling on a regular grid inside each bin; avg or ONNX's max-of-weighted-corners).
 * @module
 */
import { InvalidArgumentError, opUtil, Tensor } from '@ocular/core';
import { checkInputs, inferOutputs } from './infer.js';
import { allocF64, fromF64, scalarValue, toF64 } from './spatial-util.js';
import type { Kernel } from './types.js';

/** Corners of box `i` as [yMin, xMin, yMax, xMax]. */
function corners(boxes: Float64Array, i: number, centerPointBox: boolean): [number, number, number, number] {
  const o = i * 4;
  if (centerPointBox) {
    const [cx, cy, w, h] = [boxes[o]!, boxes[o + 1]!, boxes[o + 2]!, boxes[o + 3]!];
    return [cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2];
  }
  // [y1, x1, y2, x2] with the corners in either order.
  const [y1, x1, y2, x2] = [boxes[o]!, boxes[o + 1]!, boxes[o + 2]!, boxes[o + 3]!];
  return [Math.min(y1, y2), Math.min(x1, x2), Math.max(y1, y2), Math.max(x1, x2)];
}

/** True when box `a` suppresses box `b`: IoU strictly above the threshold. */
function suppresses(
  a: readonly [number, number, number, number],
  b: readonly [number, number, number, number],
  threshold: number,
): boolean {
  const ix = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (ix <= 0) return false;
  const iy = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  if (iy <= 0) return false;
  const inter = ix * iy;
  const areaA = (a[2] - a[0]) * (a[3] - a[1]);
  const areaB = (b[2] - b[0]) * (b[3] - b[1]);
  const union = areaA + areaB - inter;
  if (areaA <= 0 || areaB <= 0 || union <= 0) return false;
  return inter / union > threshold;
}

const nonMaxSuppression: Kernel = (inputs, attrs, ctx) => {
  const [boxesT, scoresT, maxT, iouT, scoreT] = inputs;
  checkInputs(inputs, attrs, ctx);
  const boxes = toF64(boxesT!);
  const scores = toF64(scoresT!);
  const [batches, numBoxes] = [boxesT!.dims[0]!, boxesT!.dims[1]!];
  const classes = scoresT!.dims[1]!;
  const maxPerClass = Math.max(0, scalarValue(maxT, 0));
  const iouThreshold = scalarValue(iouT, 0);
  const hasScoreThreshold = scoreT !== undefined && scoreT.size > 0;
  const scoreThreshold = scalarValue(scoreT, 0);
  if (iouThreshold < 0 || iouThreshold > 1) {
    throw new InvalidArgumentError(`iou_threshold must be in [0, 1], got ${iouThreshold}`);
  }
  const centerPointBox = attrs.center_point_box === 1;
  const selected: bigint[] = [];
  for (let b = 0; b < batches; b++) {
    const boxCorners = Array.from({ length: numBoxes }, (_, i) =>
      corners(boxes, b * numBoxes + i, centerPointBox),
    );
    for (let c = 0; c < classes; c++) {
      if (maxPerClass === 0) break;
      const base = (b * classes + c) * numBoxes;
      const candidates: number[] = [];
      for (let i = 0; i < numBoxes; i++) {
        if (!hasScoreThreshold || scores[base + i]! > scoreThreshold) candidates.push(i);
      }
      // Highest score first; equal scores keep the lower box index first.
      candidates.sort((i, j) => scores[base + j]! - scores[base + i]! || i - j);
      const kept: number[] = [];
      for (const i of candidates) {
        if (kept.length >= maxPerClass) break;
        if (kept.every((k) => !suppresses(boxCorners[i]!, boxCorners[k]!, iouThreshold))) {
          kept.push(i);
          selected.push(BigInt(b), BigInt(c), BigInt(i));
        }
      }
    }
  }
  return [new Tensor('int64', BigInt64Array.from(selected), [selected.length / 3, 3])];
};

const roiAlign: Kernel = (inputs, attrs, ctx) => {
  const [xT, roisT, idxT] = inputs as [Tensor, Tensor, Tensor];
  const [info] = inferOutputs(inputs, attrs, ctx);
  const [batches, channels, height, width] = xT.dims as [number, number, number, number];
  const [numRois, , ph, pw] = info!.dims as [number, number, number, number];
  const x = toF64(xT);
  const rois = toF64(roisT);
  const batchIdx = idxT.toNumbers();
  const scale = attrs.spatial_scale as number;
  const samplingRatio = attrs.sampling_ratio as number;
  const halfPixel = attrs.coordinate_transformation_mode === 'half_pixel';
  const isMax = attrs.mode === 'max';
  const out = allocF64(numRois * channels * ph * pw, 'RoiAlign output');
  for (let r = 0; r < numRois; r++) {
    const bi = batchIdx[r]!;
    if (!(bi >= 0 && bi < batches)) {
      throw new InvalidArgumentError(`batch_indices[${r}] = ${bi} is out of range for batch size ${batches}`);
    }
    const offset = halfPixel ? 0.5 : 0;
    const x0 = rois[r * 4]! * scale - offset;
    const y0 = rois[r * 4 + 1]! * scale - offset;
    const x1 = rois[r * 4 + 2]! * scale - offset;
    const y1 = rois[r * 4 + 3]! * scale - offset;
    let roiW = x1 - x0;
    let roiH = y1 - y0;
    if (!halfPixel) {
      // output_half_pixel (legacy) forces malformed ROIs to 1x1.
      roiW = Math.max(roiW, 1);
      roiH = Math.max(roiH, 1);
    }
    const binH = roiH / ph;
    const binW = roiW / pw;
    const gridH = samplingRatio > 0 ? samplingRatio : Math.ceil(roiH / ph);
    const gridW = samplingRatio > 0 ? samplingRatio : Math.ceil(roiW / pw);
    const count = Math.max(gridH * gridW, 1);
    // Bilinear corners and weights of every sample point, shared by all channels.
    const samples = ph * pw * gridH * gridW;
    // A huge roi with adaptive sampling asks for many samples; refuse past the allocation limits.
    opUtil.checkAllocation(samples * 4, 'float64', 'RoiAlign sample table');
    const pos = new Int32Array(samples * 4);
    const wts = new Float64Array(samples * 4);
    let s = 0;
    for (let oy = 0; oy < ph; oy++) {
      for (let ox = 0; ox < pw; ox++) {
        for (let iy = 0; iy < gridH; iy++) {
          const yy = y0 + oy * binH + ((iy + 0.5) * binH) / gridH;
          for (let ix = 0; ix < gridW; ix++, s++) {
            const xx = x0 + ox * binW + ((ix + 0.5) * binW) / gridW;
            // Samples beyond one pixel outside the map contribute zero.
            if (yy < -1 || yy > height || xx < -1 || xx > width) continue;
            let y = Math.max(yy, 0);
            let xv = Math.max(xx, 0);
            let yLow = Math.trunc(y);
            let xLow = Math.trunc(xv);
            let yHigh: number;
            let xHigh: number;
            if (yLow >= height - 1) {
              yHigh = yLow = height - 1;
              y = yLow;
            } else yHigh = yLow + 1;
            if (xLow >= width - 1) {
              xHigh = xLow = width - 1;
              xv = xLow;
            } else xHigh = xLow + 1;
            const ly = y - yLow;
            const lx = xv - xLow;
            const hy = 1 - ly;
            const hx = 1 - lx;
            pos.set(
              [yLow * width + xLow, yLow * width + xHigh, yHigh * width + xLow, yHigh * width + xHigh],
              s * 4,
            );
            wts.set([hy * hx, hy * lx, ly * hx, ly * lx], s * 4);
          }
        }
      }
    }
    const perBin = gridH * gridW;
    for (let c = 0; c < channels; c++) {
      const plane = (bi * channels + c) * height * width;
      for (let bin = 0; bin < ph * pw; bin++) {
        let acc = 0;
        for (let k = 0; k < perBin; k++) {
          const o = (bin * perBin + k) * 4;
          if (isMax) {
            // ONNX's max mode takes the largest weighted corner, not the largest interpolated value.
            const v = Math.max(
              wts[o]! * x[plane + pos[o]!]!,
              wts[o + 1]! * x[plane + pos[o + 1]!]!,
              wts[o + 2]! * x[plane + pos[o + 2]!]!,
              wts[o + 3]! * x[plane + pos[o + 3]!]!,
            );
            acc = k === 0 ? v : Math.max(acc, v);
          } else {
            acc +=
              wts[o]! * x[plane + pos[o]!]! +
              wts[o + 1]! * x[plane + pos[o + 1]!]! +
              wts[o + 2]! * x[plane + pos[o + 2]!]! +
              wts[o + 3]! * x[plane + pos[o + 3]!]!;
          }
        }
        out[(r * channels + c) * ph * pw + bin] = isMax ? acc : acc / count;
      }
    }
  }
  return [fromF64(info!.dtype, out, info!.dims)];
};

/** Detection kernels by op type. */
export const DETECTION_KERNELS: Record<string, Kernel> = {
  NonMaxSuppression: nonMaxSuppression,
  RoiAlign: roiAlign,
};
