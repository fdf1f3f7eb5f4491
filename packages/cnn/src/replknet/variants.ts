/**
 * Registry entries of the replknet family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered replknet model. */
export const REPLKNET_ENTRIES: readonly ModelEntry[] = [];
