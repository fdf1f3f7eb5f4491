/**
 * The InceptionNeXt family (timm's `inception_next.py`): MetaNeXt with the inception depthwise
 * token mixer, atto → base.
 * @module
 */
export {
  InceptionDWConv2d,
  type InceptionDWConv2dOptions,
  MetaNeXtBlock,
  type MetaNeXtBlockOptions,
  MetaNeXtStage,
  type MetaNeXtStageOptions,
  MlpClassifierHead,
} from './blocks.js';
export {
  INCEPTION_NEXT_CONFIGS,
  type InceptionNeXtArch,
  type InceptionNeXtConfig,
} from './configs.js';
export {
  create as createInceptionNeXt,
  factory as inceptionNextFactory,
  InceptionNeXt,
  type InceptionNeXtOptions,
  inceptionNextConfig,
} from './model.js';
export { INCEPTION_NEXT_ENTRIES, inceptionNextFeatureInfo } from './variants.js';
