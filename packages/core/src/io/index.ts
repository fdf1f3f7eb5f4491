/**
 * File formats: safetensors read (lazy, from a buffer, a file or a URL) and write.
 * @module
 */
export * from './safetensors.js';
