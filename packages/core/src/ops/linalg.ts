/**
 * linalg op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** linalg ops. */
export const LINALG_OPS: readonly OpSchema[] = [];
