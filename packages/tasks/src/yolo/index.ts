/**
 * An anchor-free, decoupled YOLO detection head (YOLOv8 layout) with in-graph DFL box decoding.
 * @module
 */
export { type AnchorLevel, makeAnchorPoints } from './anchors.js';
export { resolveYoloHeadConfig, type YoloHeadConfig } from './config.js';
export { DFL } from './dfl.js';
export { createYoloV8Head, YoloV8Head } from './head.js';
