/**
 * resize op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** resize ops. */
export const RESIZE_OPS: readonly OpSchema[] = [];
