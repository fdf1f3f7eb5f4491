/**
 * Spatial geometry that op schemas and backend kernels share: sliding-window padding and output
 * sizes, Col2Im block counts and Resize planning. Backends use these so the sizes and padding
 * they compute are the ones shape inference assumed.
 * @module
 */

export { col2ImBlocks } from './conv.js';
export { NMS_SELECTED_DIM } from './detection.js';
export {
  GRID_SAMPLE_MODES,
  GRID_SAMPLE_PADDING,
  RESIZE_ASPECT_POLICIES,
  RESIZE_COORDINATE_MODES,
  RESIZE_MODES,
  RESIZE_NEAREST_MODES,
  type ResizePlan,
  resolveResize,
} from './resize.js';
export * from './window.js';
