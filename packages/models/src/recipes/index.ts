/**
 * Recipes of the vendored default models: pre-processing as each model was trained, labels,
 * output names and decoder configuration, as plain data for registering task configurations.
 * @module
 */
import { CENTERNET_RECIPE } from './centernet.js';
import { MEET_RECIPE } from './meet.js';
import { NANODET_RECIPE } from './nanodet.js';
import { SELFIE_RECIPE } from './selfie.js';
import type { TaskRecipe } from './types.js';

export { COCO_80_LABELS } from '@ocular/tasks';
export { CENTERNET_RECIPE } from './centernet.js';
export { MEET_RECIPE } from './meet.js';
export { NANODET_RECIPE } from './nanodet.js';
export { SELFIE_RECIPE } from './selfie.js';
export type { RecipeInput, TaskRecipe } from './types.js';

/** Names of the vendored default models. */
export type DefaultModelName = 'nanodet' | 'centernet' | 'selfie' | 'meet';

/** The recipe of every vendored default model, by name. */
export const DEFAULT_RECIPES: Readonly<Record<DefaultModelName, TaskRecipe>> = {
  nanodet: NANODET_RECIPE,
  centernet: CENTERNET_RECIPE,
  selfie: SELFIE_RECIPE,
  meet: MEET_RECIPE,
};
