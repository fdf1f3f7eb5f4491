/**
 * Every embedded default as one list, and registering them.
 * @module
 */
import { registerTaskPresets, type TaskPreset } from '@ocular/tasks';
import { HUMAN_MODEL_PRESETS } from './presets/human.js';
import { OCULAR_SR_PRESETS } from './presets/ocular-sr.js';
import { UPSCALER_PRESETS } from './presets/upscaler.js';

/** Every preset this package provides. */
export const DEFAULT_PRESETS: readonly TaskPreset[] = [
  ...HUMAN_MODEL_PRESETS,
  ...OCULAR_SR_PRESETS,
  ...UPSCALER_PRESETS,
];

/**
 * Registers every default preset (idempotent), so `pipeline('detection')`,
 * `pipeline('segmentation')` and `pipeline('super-resolution')` work with no arguments.
 */
export function registerDefaultModels(): void {
  registerTaskPresets(DEFAULT_PRESETS);
}
