/**
 * pool op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** pool ops. */
export const POOL_OPS: readonly OpSchema[] = [];
