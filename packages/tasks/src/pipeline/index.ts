export * from './create.js';
export * from './pipeline.js';
export * from './preprocess.js';
export * from './runner.js';
export * from './weights.js';
