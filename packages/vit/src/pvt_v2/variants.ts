/**
 * Registry entries of the pvt_v2 family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered pvt_v2 model. */
export const PVT_V2_ENTRIES: readonly ModelEntry[] = [];
