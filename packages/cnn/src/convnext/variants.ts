/**
 * Registry entries of the convnext family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered convnext model. */
export const CONVNEXT_ENTRIES: readonly ModelEntry[] = [];
