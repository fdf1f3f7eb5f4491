/**
 * Registry entries of the volo family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered volo model. */
export const VOLO_ENTRIES: readonly ModelEntry[] = [];
