/**
 * Where the attributes of each box lie in a YOLO-style `[1, A, N]` or `[1, N, A]` output.
 * @module
 */
import { InvalidArgumentError, type Tensor } from '@ocular/core';
import { badShape, checkRank } from './common.js';

/**
 * `channels-first`: `[1, attributes, boxes]` (Ultralytics YOLOv8/11 exports);
 * `channels-last`: `[1, boxes, attributes]` (YOLOv5 exports, transposed YOLOv8 exports);
 * `auto`: decided from the shape (see {@link resolveLayout}).
 */
export type AttributeLayout = 'auto' | 'channels-first' | 'channels-last';

/** Checks a layout setting. */
export function checkLayout(name: string, v: string): AttributeLayout {
  if (v !== 'auto' && v !== 'channels-first' && v !== 'channels-last')
    throw new InvalidArgumentError(`${name} must be 'auto', 'channels-first' or 'channels-last', got '${v}'`);
  return v;
}

/** A resolved rank-3 attribute table: `get(i, k)` is attribute `k` of box `i` (batch 0). */
export interface AttributeTable {
  readonly numBoxes: number;
  readonly numAttributes: number;
  readonly layout: 'channels-first' | 'channels-last';
}

/**
 * Decides the layout of `t` (`[1, extra + nc, N]` or `[1, N, extra + nc]`). With a declared
 * layout it is checked; with `auto` and a known class count the axis of size `extra + nc` is the
 * attribute axis; otherwise the smaller axis is (models have far more boxes than attributes).
 * Ties go to `preferred`. Throws `DecodeError` naming the output and the shape expected.
 */
export function resolveLayout(
  decoder: string,
  name: string,
  t: Tensor,
  extra: number,
  numClasses: number | undefined,
  declared: AttributeLayout,
  preferred: 'channels-first' | 'channels-last',
): AttributeTable {
  const attrs = numClasses === undefined ? `${extra}+nc` : `${extra + numClasses}`;
  const expected =
    declared === 'channels-last'
      ? `[1, N, ${attrs}]`
      : declared === 'channels-first'
        ? `[1, ${attrs}, N]`
        : `[1, ${attrs}, N] or [1, N, ${attrs}]`;
  const [, a, b] = checkRank(decoder, name, t, 3, expected) as [number, number, number];
  const fits = (n: number) => (numClasses === undefined ? n > extra : n === extra + numClasses);
  let layout: 'channels-first' | 'channels-last';
  if (declared !== 'auto') {
    layout = declared;
    if (!fits(layout === 'channels-first' ? a : b)) badShape(decoder, name, t, expected);
  } else if (numClasses !== undefined) {
    if (fits(a) && fits(b)) layout = preferred;
    else if (fits(a)) layout = 'channels-first';
    else if (fits(b)) layout = 'channels-last';
    else badShape(decoder, name, t, expected);
  } else {
    layout = a < b ? 'channels-first' : b < a ? 'channels-last' : preferred;
    if (!fits(layout === 'channels-first' ? a : b)) badShape(decoder, name, t, expected, 'no class scores');
  }
  return layout === 'channels-first'
    ? { numBoxes: b, numAttributes: a, layout }
    : { numBoxes: a, numAttributes: b, layout };
}
