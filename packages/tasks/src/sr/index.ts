/**
 * Super-resolution: ESPCN, FSRCNN, IMDN / IMDN_RTC and RRDBNet (ESRGAN) as task modules, their
 * named configurations, output decoding to pixels, and tiled upscaling of large images.
 * @module
 */
export * from './base.js';
export * from './configs.js';
export * from './decode.js';
export * from './espcn.js';
export * from './fsrcnn.js';
export * from './imdn.js';
export * from './layers.js';
export * from './rrdbnet.js';
export * from './tiling.js';
export * from './variants.js';
