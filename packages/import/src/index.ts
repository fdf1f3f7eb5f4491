export * from './errors.js';
export * from './passes/index.js';
export * from './tfjs-graph/index.js';
export * from './tfjs-layers/index.js';
export * from './tfjs-weights/index.js';
