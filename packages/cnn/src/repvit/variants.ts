/**
 * Registry entries of the repvit family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered repvit model. */
export const REPVIT_ENTRIES: readonly ModelEntry[] = [];
