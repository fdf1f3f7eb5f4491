/**
 * reduce op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** reduce ops. */
export const REDUCE_OPS: readonly OpSchema[] = [];
