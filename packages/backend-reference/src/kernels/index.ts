/**
 * The kernel table: one kernel per IR op.
 * @module
 */
import { ACTIVATION_KERNELS } from './activation.js';
import { CONV_KERNELS } from './conv.js';
import { DETECTION_KERNELS } from './detection.js';
import { ELEMENTWISE_KERNELS } from './elementwise.js';
import { INDEXING_KERNELS } from './indexing.js';
import { LINALG_KERNELS } from './linalg.js';
import { NORMALIZATION_KERNELS } from './normalization.js';
import { POOL_KERNELS } from './pool.js';
import { REDUCE_KERNELS } from './reduce.js';
import { RESIZE_KERNELS } from './resize.js';
import { SHAPE_KERNELS } from './shape.js';
import type { Kernel } from './types.js';

/** Every reference kernel by op type. */
export const KERNELS: Readonly<Record<string, Kernel>> = {
  ...ACTIVATION_KERNELS,
  ...ELEMENTWISE_KERNELS,
  ...REDUCE_KERNELS,
  ...NORMALIZATION_KERNELS,
  ...LINALG_KERNELS,
  ...CONV_KERNELS,
  ...POOL_KERNELS,
  ...RESIZE_KERNELS,
  ...DETECTION_KERNELS,
  ...SHAPE_KERNELS,
  ...INDEXING_KERNELS,
};
