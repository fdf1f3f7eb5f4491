/**
 * The built-in op table. Each category file exports an array of schemas; this file joins them.
 * Nothing registers by side effect: `ir/schema.ts` builds its lookup table on first use.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';
import { ACTIVATION_OPS } from './activation.js';
import { CONV_OPS } from './conv.js';
import { DETECTION_OPS } from './detection.js';
import { ELEMENTWISE_OPS } from './elementwise.js';
import { INDEXING_OPS } from './indexing.js';
import { LINALG_OPS } from './linalg.js';
import { NORMALIZATION_OPS } from './normalization.js';
import { POOL_OPS } from './pool.js';
import { REDUCE_OPS } from './reduce.js';
import { RESIZE_OPS } from './resize.js';
import { SHAPE_OPS } from './shape.js';

/** Every built-in op schema. */
export function builtinOpSchemas(): readonly OpSchema[] {
  return [
    ...ELEMENTWISE_OPS,
    ...ACTIVATION_OPS,
    ...REDUCE_OPS,
    ...NORMALIZATION_OPS,
    ...LINALG_OPS,
    ...CONV_OPS,
    ...POOL_OPS,
    ...SHAPE_OPS,
    ...INDEXING_OPS,
    ...RESIZE_OPS,
    ...DETECTION_OPS,
  ];
}
