export * from './create.js';
export * from './decoder-config.js';
export * from './pipeline.js';
export * from './preprocess.js';
export * from './presets.js';
export * from './runner.js';
export * from './weights.js';
