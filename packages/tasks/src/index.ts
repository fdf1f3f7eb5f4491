/**
 * `@ocular/tasks`: detection, segmentation and super-resolution networks and heads, decoders of
 * foreign model outputs (YOLO, SSD, DETR), NMS, tiled super-resolution and pipelines.
 * @packageDocumentation
 */
export * from './backbones/index.js';
export * from './decoders/index.js';
export * from './detection/index.js';
export * from './pipeline/index.js';
export { plugin } from './plugin.js';
export { SR_ENTRIES, TASK_HEAD_ENTRIES, TORCHVISION_TASK_ENTRIES } from './plugin-entries.js';
export * from './postprocess/index.js';
export * from './segmentation/index.js';
export * from './sr/index.js';
export * from './yolo/index.js';
