/**
 * NanoDet-g (416×416, COCO-80) as trained.
 *
 * The vendored graph is NanoDet-g: its ops (plain Conv2D, LeakyReLU, one MaxPool, 3 levels,
 * 44 = 4·(10+1) box channels) match `config/legacy_v0.x_configs/nanodet-g.yml` of
 * RangiLyu/nanodet (CustomCspNet, LeakyReLU, NanoDetHead, strides 8/16/32, reg_max 10).
 * @module
 */
import { COCO_80_LABELS } from '@ocular/tasks';
import type { TaskRecipe } from './types.js';

/** NanoDet-g: letterboxed BGR with ImageNet mean/std in 0–255 units, GFL decoding per level. */
export const NANODET_RECIPE: TaskRecipe = {
  name: 'nanodet',
  task: 'detection',
  description: 'NanoDet-g 416 (COCO-80 detection), anchor-free GFL head',
  input: { name: 'input_1', layout: 'nchw' },
  preprocess: {
    size: [416, 416],
    // keep_ratio: True; get_resize_matrix centres the scaled image (nanodet/data/transform/warp.py).
    resize: 'letterbox',
    // cv2.warpPerspective's default INTER_LINEAR.
    interpolation: 'bilinear',
    // cv2.warpPerspective's default border: 0 on the raw pixels, before normalisation.
    fill: [0, 0, 0],
    // nanodet-g.yml `normalize: [[103.53, 116.28, 123.675], [57.375, 57.12, 58.395]]` — BGR,
    // 0–255 units (color.py `_normalize` divides both by 255 for 0–1 images). The graph has no
    // normalisation of its own.
    mean: [103.53 / 255, 116.28 / 255, 123.675 / 255],
    std: [57.375 / 255, 57.12 / 255, 58.395 / 255],
    // Images are read with cv2.imread and never converted: the network sees BGR.
    channelOrder: 'bgr',
  },
  labels: COCO_80_LABELS,
  // Signature order: class scores (sigmoid applied) per stride, then distributions per stride.
  outputs: ['Identity', 'Identity_1', 'Identity_2', 'Identity_3', 'Identity_4', 'Identity_5'],
  decoder: {
    type: 'nanodet',
    levels: [
      { scores: 'Identity', boxes: 'Identity_3', stride: 8 },
      { scores: 'Identity_1', boxes: 'Identity_4', stride: 16 },
      { scores: 'Identity_2', boxes: 'Identity_5', stride: 32 },
    ],
    regMax: 10,
    numClasses: 80,
    // GFLHead.get_bboxes_single: multiclass_nms(score_thr=0.05, iou_threshold=0.6, max_num=100);
    // 0.05 is an evaluation threshold, 0.25 keeps what a person would call a detection.
    scoreThreshold: 0.25,
    iouThreshold: 0.6,
    maxDetections: 100,
    multiLabel: true,
  },
  sources: [
    'https://github.com/RangiLyu/nanodet v0.4.2 config/legacy_v0.x_configs/nanodet-g.yml (normalize, input_size, keep_ratio, reg_max, strides)',
    'https://github.com/RangiLyu/nanodet v0.4.2 nanodet/data/transform/warp.py get_resize_matrix (centred letterbox), color.py _normalize',
    'https://github.com/RangiLyu/nanodet v0.4.2 nanodet/model/head/gfl_head.py (Integral, centre points (x+0.5)·stride, distance2bbox, multiclass_nms)',
    'https://github.com/RangiLyu/nanodet v0.4.2 nanodet/model/head/nanodet_head.py (ONNX export: sigmoid scores [1, N, 80], distributions [1, N, 44])',
  ],
};
