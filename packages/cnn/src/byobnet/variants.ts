/**
 * Registry entries of the byobnet family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered byobnet model. */
export const BYOBNET_ENTRIES: readonly ModelEntry[] = [];
