/**
 * `@ocular/models`: the embedded default models — detection, person segmentation and
 * super-resolution — as task presets, so `pipeline('detection')`, `pipeline('segmentation')` and
 * `pipeline('super-resolution')` work with no arguments once registered.
 * @packageDocumentation
 */
export * from './assets.js';
export * from './defaults.js';
export * from './presets/human.js';
export * from './presets/load.js';
export * from './presets/ocular-sr.js';
export * from './presets/upscaler.js';
export * from './recipes/index.js';
