/**
 * The shape of a default model's recipe: everything needed to run a vendored model as it was
 * trained, as plain data.
 * @module
 */
import type { PipelineDecoderConfig, PreprocessConfig } from '@ocular/tasks';

/** The graph input a recipe feeds. */
export interface RecipeInput {
  /** Graph input name (TF.js node name, without `:0`). */
  readonly name: string;
  /** Axis order of the original graph's input: `nchw` `[1, 3, H, W]` or `nhwc` `[1, H, W, 3]`. */
  readonly layout: 'nchw' | 'nhwc';
}

/** How to prepare images, run and decode one vendored model. Serialisable. */
export interface TaskRecipe {
  /** Short name, also the asset's file name (`<name>.json` + `<name>.bin` in `assets/human-models/`). */
  readonly name: string;
  readonly task: 'detection' | 'segmentation';
  /** One line for listings. */
  readonly description: string;
  readonly input: RecipeInput;
  /**
   * Pre-processing as the model was trained (the pipeline's `PreprocessConfig`, every field set):
   * `size` is `[height, width]`; `mean`/`std` are in 0–1 units in the tensor's channel order.
   */
  readonly preprocess: Required<PreprocessConfig>;
  /** Class names by class id. */
  readonly labels: readonly string[];
  /** Graph outputs the decoder reads (TF.js node names, without `:0`). */
  readonly outputs: readonly string[];
  readonly decoder: PipelineDecoderConfig;
  /** Where each setting comes from (repository, file, version). */
  readonly sources: readonly string[];
}
