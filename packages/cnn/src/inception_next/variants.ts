/**
 * Registry entries of the inception_next family (metadata only; `load()` imports the model code).
 * @module
 */
import type { ModelEntry } from '@ocular/core';

/** Every registered inception_next model. */
export const INCEPTION_NEXT_ENTRIES: readonly ModelEntry[] = [];
