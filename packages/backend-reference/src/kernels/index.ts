/**
 * The kernel table: one kernel per IR op.
 * @module
 */
import { ACTIVATION_KERNELS } from './activation.js';
import { CONV_KERNELS } from './conv.js';
import { DETECTION_KERNELS } from './detection.js';
import { INDEXING_KERNELS } from './indexing.js';
import { POOL_KERNELS } from './pool.js';
import { RESIZE_KERNELS } from './resize.js';
import { SHAPE_KERNELS } from './shape.js';
import type { Kernel } from './types.js';

/** Every reference kernel by op type. */
export const KERNELS: Readonly<Record<string, Kernel>> = {
  ...ACTIVATION_KERNELS,
  ...CONV_KERNELS,
  ...POOL_KERNELS,
  ...RESIZE_KERNELS,
  ...DETECTION_KERNELS,
  ...SHAPE_KERNELS,
  ...INDEXING_KERNELS,
};
