export * from './detections.js';
export * from './nms.js';
export * from './segmentation.js';
