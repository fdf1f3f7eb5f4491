/**
 * Registry entries of the tnt family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered tnt model. */
export const TNT_ENTRIES: readonly ModelEntry[] = [];
