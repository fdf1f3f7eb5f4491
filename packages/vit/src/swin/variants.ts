/**
 * Registry entries of the Swin Transformer v1 family: metadata only (listable without loading
 * model code); `load()` imports the model. Defaults and tags follow timm's `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { SWIN_CONFIGS, type SwinArch, type SwinConfig } from './configs.js';

/** timm's `feature_info` of a configuration: one channels-last map per stage (`layers.i`). */
export function swinFeatureInfo(config: SwinConfig): FeatureInfo[] {
  const embed = config.embedDim ?? 96;
  const patch = config.patchSize ?? 4;
  return config.depths.map((_, i) => ({
    numChs: embed * 2 ** i,
    reduction: patch * 2 ** i,
    module: `layers.${i}`,
  }));
}

interface EntryData {
  readonly arch: SwinArch;
  /** timm's `param_count` at 1000 classes. */
  readonly paramCount: number;
  /** Weight tags, default first. */
  readonly tags: readonly string[];
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(d: EntryData): ModelEntry {
  return {
    name: d.arch,
    family: 'vit',
    variants: d.tags,
    paramCount: d.paramCount,
    defaultInputSize: [3, 224, 224],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    numClasses: 1000,
    license: 'mit',
    paper: 'https://arxiv.org/abs/2103.14030',
    tags: ['swin', 'imagenet'],
    featureInfo: swinFeatureInfo(SWIN_CONFIGS[d.arch]),
    classifier: 'head.fc',
    firstConv: 'patch_embed.proj',
    load,
  };
}

/** Every registered swin model. */
export const SWIN_ENTRIES: readonly ModelEntry[] = [
  entry({
    arch: 'swin_tiny_patch4_window7_224',
    paramCount: 28_288_354,
    tags: ['ms_in1k', 'ms_in22k_ft_in1k'],
  }),
  entry({
    arch: 'swin_small_patch4_window7_224',
    paramCount: 49_606_258,
    tags: ['ms_in22k_ft_in1k', 'ms_in1k'],
  }),
  entry({ arch: 'swin_base_patch4_window7_224', paramCount: 87_768_224, tags: ['ms_in22k_ft_in1k'] }),
];
