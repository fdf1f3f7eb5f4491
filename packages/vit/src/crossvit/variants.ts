/**
 * Registry entries of the crossvit family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered crossvit model. */
export const CROSSVIT_ENTRIES: readonly ModelEntry[] = [];
