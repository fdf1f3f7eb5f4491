/**
 * CenterNet on MobileNetV3 (512×512, COCO-80) from 610265158/mobilenetv3_centernet, as trained.
 * @module
 */
import { COCO_80_LABELS } from '@ocular/tasks';
import type { TaskRecipe } from './types.js';

/** CenterNet: letterboxed RGB 0–255 (the graph divides by 255 itself), top-k rows decoded in-graph. */
export const CENTERNET_RECIPE: TaskRecipe = {
  name: 'centernet',
  task: 'detection',
  description: 'CenterNet MobileNetV3 512 (COCO-80 detection), top-100 peaks decoded in the graph',
  input: { name: 'tower_0/images', layout: 'nhwc' },
  preprocess: {
    size: [512, 512],
    // FaceDetector.preprocess (lib/core/api/face_detector.py): scale = min(tw/w, th/h), cv2.resize,
    // pasted centred ((target − size) // 2) into zeros; validation uses the same Fill_img.
    resize: 'letterbox',
    interpolation: 'bilinear',
    fill: [0, 0, 0],
    // The graph takes uint8-range pixels: Centernet.preprocess divides by 255 inside the network
    // (folded into the first convolution of the frozen graph). std 1/255 undoes the pipeline's /255.
    mean: [0, 0, 0],
    std: [1 / 255, 1 / 255, 1 / 255],
    // DsfdDataIter._map_func: cv2.imread then cv2.cvtColor(BGR2RGB).
    channelOrder: 'rgb',
  },
  labels: COCO_80_LABELS,
  outputs: ['tower_0/detections'],
  decoder: {
    type: 'centernet',
    outputName: 'tower_0/detections',
    numClasses: 80,
    // Rows are [xs·4 − l, ys·4 − t, xs·4 + r, ys·4 + b, score, class] in input pixels
    // (Centernet.postprocess, global_stride 4); the 3×3 max-pool peak filter leaves neighbouring
    // peaks of one object, which class-aware NMS removes.
    boxFormat: 'xyxy',
    normalized: false,
    scoreThreshold: 0.25,
    iouThreshold: 0.45,
    maxDetections: 100,
  },
  sources: [
    'https://github.com/610265158/mobilenetv3_centernet lib/core/model/centernet.py (preprocess /255, postprocess: max-pool peaks, top_k, boxes)',
    'https://github.com/610265158/mobilenetv3_centernet lib/core/api/face_detector.py (inference letterbox, zero fill, RGB input)',
    'https://github.com/610265158/mobilenetv3_centernet lib/dataset/dataietr.py (BGR2RGB), configs/mscoco/mbv3_config.py (512×512, 80 classes, stride 4)',
  ],
};
