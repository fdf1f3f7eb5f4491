/**
 * normalization op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** normalization ops. */
export const NORMALIZATION_OPS: readonly OpSchema[] = [];
