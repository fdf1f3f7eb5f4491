/**
 * Google Meet background segmentation (landscape 144×256), via PINTO model zoo 082.
 * @module
 */
import type { TaskRecipe } from './types.js';

/** Meet segmentation: stretched RGB in 0–1, two logits per pixel (background, person). */
export const MEET_RECIPE: TaskRecipe = {
  name: 'meet',
  task: 'segmentation',
  description: 'Google Meet segmentation 144×256 (person vs background)',
  input: { name: 'input_1', layout: 'nhwc' },
  preprocess: {
    size: [144, 256],
    // The frame is drawn over the whole 256×144 tensor (no padding) and divided by 255
    // (Volcomix/virtual-background's resizeSource), like MediaPipe's stretched selfie input. On
    // the square astronaut.jpg a letterbox covers more of the body (0.96 against 0.74 of a
    // hand-chosen box) but leaks into the backdrop (0.13 against 0.002): the recipe stays as used.
    resize: 'stretch',
    interpolation: 'bilinear',
    fill: [0, 0, 0],
    mean: [0, 0, 0],
    std: [1, 1, 1],
    channelOrder: 'rgb',
  },
  labels: ['background', 'person'],
  outputs: ['segment'],
  // [1, 144, 256, 2] logits, channel 0 background and 1 person: softmax over the two.
  decoder: { type: 'segmentation', output: 'segment', activation: 'softmax', layout: 'nhwc' },
  sources: [
    'https://github.com/PINTO0309/PINTO_model_zoo/tree/main/082_MediaPipe_Meet_Segmentation',
    'https://github.com/Volcomix/virtual-background src/pipelines/canvas2d/canvas2dPipeline.ts (input /255 RGB, stretched; softmax of [background, person])',
  ],
};
