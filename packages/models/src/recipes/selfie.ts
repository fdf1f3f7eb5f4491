/**
 * MediaPipe Selfie Segmentation, general model (256×256), via PINTO model zoo 109.
 * @module
 */
import type { TaskRecipe } from './types.js';

/** Selfie segmentation: stretched RGB in 0–1, one sigmoid person probability per pixel. */
export const SELFIE_RECIPE: TaskRecipe = {
  name: 'selfie',
  task: 'segmentation',
  description: 'MediaPipe Selfie Segmentation 256×256 (person vs background)',
  input: { name: 'input_1', layout: 'nhwc' },
  preprocess: {
    size: [256, 256],
    // ImageToTensorCalculator: keep_aspect_ratio: false, output_tensor_float_range 0–1,
    // border_mode BORDER_ZERO.
    resize: 'stretch',
    interpolation: 'bilinear',
    fill: [0, 0, 0],
    mean: [0, 0, 0],
    std: [1, 1, 1],
    channelOrder: 'rgb',
  },
  labels: ['background', 'person'],
  outputs: ['activation_10'],
  // [1, 256, 256, 1] person probability (the graph ends in a sigmoid); TensorsToSegmentation
  // uses activation NONE.
  decoder: { type: 'segmentation', output: 'activation_10', activation: 'none', layout: 'nhwc' },
  sources: [
    'https://github.com/google/mediapipe mediapipe/modules/selfie_segmentation/selfie_segmentation_cpu.pbtxt (ImageToTensorCalculator, TensorsToSegmentationCalculator activation NONE)',
    'https://github.com/PINTO0309/PINTO_model_zoo/tree/main/109_Selfie_Segmentation',
  ],
};
