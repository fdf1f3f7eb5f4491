/**
 * Registry entries of the xcit family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered xcit model. */
export const XCIT_ENTRIES: readonly ModelEntry[] = [];
