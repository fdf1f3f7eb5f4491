/**
 * The kernel table: one kernel per IR op.
 * @module
 */
import { ACTIVATION_KERNELS } from './activation.js';
import { INDEXING_KERNELS } from './indexing.js';
import { SHAPE_KERNELS } from './shape.js';
import type { Kernel } from './types.js';

/** Every reference kernel by op type. */
export const KERNELS: Readonly<Record<string, Kernel>> = {
  ...ACTIVATION_KERNELS,
  ...SHAPE_KERNELS,
  ...INDEXING_KERNELS,
};
