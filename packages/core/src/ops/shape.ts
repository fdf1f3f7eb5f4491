/**
 * shape op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** shape ops. */
export const SHAPE_OPS: readonly OpSchema[] = [];
