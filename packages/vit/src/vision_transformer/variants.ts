/**
 * Registry entries of the vision_transformer family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered vision_transformer model. */
export const VISION_TRANSFORMER_ENTRIES: readonly ModelEntry[] = [];
