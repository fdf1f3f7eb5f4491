/**
 * Registry entries of the twins family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered twins model. */
export const TWINS_ENTRIES: readonly ModelEntry[] = [];
