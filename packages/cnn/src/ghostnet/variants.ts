/**
 * Registry entries of the ghostnet family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered ghostnet model. */
export const GHOSTNET_ENTRIES: readonly ModelEntry[] = [];
