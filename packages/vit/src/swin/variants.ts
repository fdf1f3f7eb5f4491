/**
 * Registry entries of the swin family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered swin model. */
export const SWIN_ENTRIES: readonly ModelEntry[] = [];
