export * from './errors.js';
export * from './tfjs-weights/index.js';
