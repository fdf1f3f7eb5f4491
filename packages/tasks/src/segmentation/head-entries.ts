/**
 * Registry entries of the generic segmentation heads (metadata plus a lazy loader of each
 * `HeadFactory`), for a plugin's `heads`.
 * @module
 */
import type { HeadEntry } from '@ocular/core';

/** `semantic_fpn`, `segformer`, `upernet` and `aspp`, all of task `segmentation`. */
export const SEGMENTATION_HEAD_ENTRIES: readonly HeadEntry[] = Object.freeze([
  {
    name: 'semantic_fpn',
    task: 'segmentation',
    description:
      'Panoptic FPN semantic branch: per-level conv-GN-ReLU + 2× upsampling to 1/4, summed, 1×1 classifier',
    load: async () => (await import('./semantic-fpn.js')).semanticFpnHead,
  },
  {
    name: 'segformer',
    task: 'segmentation',
    description:
      'SegFormer all-MLP head: per-level linear projection, upsample, concat, 1×1 conv-BN-ReLU fuse, classifier',
    load: async () => (await import('./segformer.js')).segformerHead,
  },
  {
    name: 'upernet',
    task: 'segmentation',
    description:
      'UPerNet: pyramid pooling (scales 1, 2, 3, 6) on the deepest map, FPN lateral/output convs, fuse',
    load: async () => (await import('./upernet.js')).upernetHead,
  },
  {
    name: 'aspp',
    task: 'segmentation',
    description: "DeepLabV3 ASPP (rates 12, 24, 36, image pooling) on the backbone's deepest map",
    load: async () => (await import('./aspp-head.js')).asppHead,
  },
]);
