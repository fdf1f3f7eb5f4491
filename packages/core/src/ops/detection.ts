/**
 * detection op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** detection ops. */
export const DETECTION_OPS: readonly OpSchema[] = [];
