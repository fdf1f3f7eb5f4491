/**
 * Backbones with torchvision's state-dict layouts, for the torchvision-compatible detection and
 * segmentation networks.
 * @module
 */
export * from './tv-layers.js';
export * from './tv-mobilenet-v3.js';
export * from './tv-mobilenet-v3-configs.js';
