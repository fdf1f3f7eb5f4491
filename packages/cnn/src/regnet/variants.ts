/**
 * Registry entries of the regnet family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered regnet model. */
export const REGNET_ENTRIES: readonly ModelEntry[] = [];
