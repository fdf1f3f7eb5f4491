/**
 * Registry entries of the efficientnet family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered efficientnet model. */
export const EFFICIENTNET_ENTRIES: readonly ModelEntry[] = [];
