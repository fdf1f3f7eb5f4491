/**
 * indexing op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** indexing ops. */
export const INDEXING_OPS: readonly OpSchema[] = [];
