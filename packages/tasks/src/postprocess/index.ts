export * from './detections.js';
export * from './image-output.js';
export * from './nms.js';
export * from './segmentation.js';
