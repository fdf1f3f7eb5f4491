/**
 * Registry entries of the cait family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered cait model. */
export const CAIT_ENTRIES: readonly ModelEntry[] = [];
