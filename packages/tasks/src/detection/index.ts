/**
 * torchvision-compatible detectors (SSDLite, RetinaNet, FCOS) with torchvision's state-dict
 * layouts, anchors and post-processing, as task modules.
 * @module
 */
export * from './anchors.js';
export * from './box-coder.js';
export * from './builders.js';
export * from './coco-labels.js';
export * from './dense-detector.js';
export * from './dense-heads.js';
export * from './fpn.js';
export * from './head-layout.js';
export * from './ssdlite.js';
export * from './tv-postprocess.js';
