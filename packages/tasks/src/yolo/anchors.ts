/**
 * Anchor points of an anchor-free YOLO head: the centre of every feature-map cell, in cells,
 * level by level, row-major (Ultralytics' `make_anchors` with offset 0.5).
 * @module
 */
import { Tensor } from '@ocular/core';

/** One level: its feature-map size and stride in input pixels. */
export interface AnchorLevel {
  readonly height: number;
  readonly width: number;
  readonly stride: number;
}

/**
 * `points` `[1, 2, A]` (x then y, in cells of each level, cell centres at +0.5) and `strides`
 * `[1, 1, A]` (input pixels per cell) over all levels.
 */
export function makeAnchorPoints(
  levels: readonly AnchorLevel[],
  offset = 0.5,
): { points: Tensor<'float32'>; strides: Tensor<'float32'> } {
  const total = levels.reduce((n, l) => n + l.height * l.width, 0);
  const points = new Float32Array(2 * total);
  const strides = new Float32Array(total);
  let a = 0;
  for (const l of levels) {
    for (let y = 0; y < l.height; y++) {
      for (let x = 0; x < l.width; x++, a++) {
        points[a] = x + offset;
        points[total + a] = y + offset;
        strides[a] = l.stride;
      }
    }
  }
  return {
    points: new Tensor('float32', points, [1, 2, total]),
    strides: new Tensor('float32', strides, [1, 1, total]),
  };
}
