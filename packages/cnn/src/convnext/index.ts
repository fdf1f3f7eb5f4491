/**
 * The ConvNeXt family (timm's `convnext.py`): ConvNeXt atto → base, channels-last or 1×1-conv
 * MLPs, layer scale, and timm's tiny test models.
 * @module
 */
export {
  ConvNeXtBlock,
  type ConvNeXtBlockOptions,
  ConvNeXtStage,
  type ConvNeXtStageOptions,
  NormMlpClassifierHead,
  type NormMlpClassifierHeadOptions,
} from './blocks.js';
export { CONVNEXT_CONFIGS, type ConvNeXtAct, type ConvNeXtArch, type ConvNeXtConfig } from './configs.js';
export {
  ConvNeXt,
  type ConvNeXtOptions,
  convnextConfig,
  create as createConvNeXt,
  factory as convnextFactory,
} from './model.js';
export { checkpointFilter as convnextCheckpointFilter, torchvisionConvNeXtKey } from './remap.js';
export { CONVNEXT_ENTRIES, convnextFeatureInfo } from './variants.js';
