/**
 * elementwise op schemas.
 * @module
 */
import type { OpSchema } from '../ir/schema.js';

/** elementwise ops. */
export const ELEMENTWISE_OPS: readonly OpSchema[] = [];
