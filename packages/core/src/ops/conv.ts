/**
 * conv op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** conv ops. */
export const CONV_OPS: readonly OpSchema[] = [];
