/**
 * The Twins-SVT family (timm's `twins.py`): locally-grouped and global sub-sampled attention,
 * the conditional position-encoding conv, NCHW feature maps.
 * @module
 */
export { LocallyGroupedAttn, PosConv, TwinsBlock, type TwinsBlockOptions } from './blocks.js';
export { TWINS_CONFIGS, type TwinsArch, type TwinsConfig } from './configs.js';
export {
  create as createTwins,
  factory as twinsFactory,
  Twins,
  type TwinsOptions,
  twinsConfig,
} from './model.js';
export { TWINS_ENTRIES, twinsFeatureInfo } from './variants.js';
