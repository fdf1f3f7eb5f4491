/**
 * Registry entries of the vision_transformer family (ViT and DeiT): metadata only, listable
 * without loading model code; `load()` imports the model. Defaults and tags follow timm's
 * `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { VIT_CONFIGS, type VitArch, type VitConfig } from './configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const HALF = [0.5, 0.5, 0.5] as const;
const VIT_PAPER = 'https://arxiv.org/abs/2010.11929';
const DEIT_PAPER = 'https://arxiv.org/abs/2012.12877';

/** timm's `feature_info`: every block's output, at the patch size's reduction. */
export function vitFeatureInfo(config: VitConfig): FeatureInfo[] {
  const reduction = config.patchSize ?? 16;
  return Array.from({ length: config.depth ?? 12 }, (_, i) => ({
    numChs: config.embedDim ?? 768,
    reduction,
    module: `blocks.${i}`,
  }));
}

interface EntryData {
  readonly arch: VitArch;
  /** timm's `param_count` at 1000 classes. */
  readonly paramCount: number;
  /** Weight tags, default first. */
  readonly tags: readonly string[];
  /** ImageNet mean/std (DeiT) instead of 0.5 (the augreg ViTs and the test models). */
  readonly imagenetNorm?: boolean;
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(d: EntryData): ModelEntry {
  const config: VitConfig = VIT_CONFIGS[d.arch];
  const size = (config.imgSize as number | undefined) ?? 224;
  const deit = d.arch.startsWith('deit_');
  const test = d.arch.startsWith('test_');
  return {
    name: d.arch,
    family: 'vit',
    variants: d.tags,
    paramCount: d.paramCount,
    defaultInputSize: [3, size, size],
    mean: d.imagenetNorm ? IMAGENET_MEAN : HALF,
    std: d.imagenetNorm ? IMAGENET_STD : HALF,
    numClasses: 1000,
    license: 'apache-2.0',
    paper: deit ? DEIT_PAPER : VIT_PAPER,
    tags: ['vision_transformer', deit ? 'deit' : 'vit', 'imagenet', ...(test ? ['test'] : [])],
    featureInfo: vitFeatureInfo(config),
    classifier: config.distilled ? ['head', 'head_dist'] : 'head',
    firstConv: 'patch_embed.proj',
    load,
  };
}

/** The vision_transformer family's registry entries. */
export const VISION_TRANSFORMER_ENTRIES: readonly ModelEntry[] = [
  entry({ arch: 'test_vit', paramCount: 371_240, tags: ['r160_in1k'] }),
  entry({ arch: 'test_vit2', paramCount: 455_720, tags: ['r160_in1k'] }),
  entry({ arch: 'test_vit3', paramCount: 930_280, tags: ['r160_in1k'] }),
  entry({ arch: 'test_vit4', paramCount: 1_020_520, tags: ['r160_in1k'] }),
  entry({ arch: 'vit_tiny_patch16_224', paramCount: 5_717_416, tags: ['augreg_in21k_ft_in1k'] }),
  entry({
    arch: 'vit_small_patch16_224',
    paramCount: 22_050_664,
    tags: ['augreg_in21k_ft_in1k', 'augreg_in1k'],
  }),
  entry({ arch: 'vit_small_patch32_224', paramCount: 22_878_952, tags: ['augreg_in21k_ft_in1k'] }),
  entry({
    arch: 'vit_base_patch16_224',
    paramCount: 86_567_656,
    tags: ['augreg2_in21k_ft_in1k', 'augreg_in21k_ft_in1k', 'orig_in21k_ft_in1k', 'augreg_in1k'],
  }),
  entry({
    arch: 'vit_base_patch32_224',
    paramCount: 88_224_232,
    tags: ['augreg_in21k_ft_in1k', 'augreg_in1k'],
  }),
  entry({ arch: 'vit_medium_patch16_gap_256', paramCount: 38_861_288, tags: ['sw_in12k_ft_in1k'] }),
  entry({ arch: 'deit_tiny_patch16_224', paramCount: 5_717_416, tags: ['fb_in1k'], imagenetNorm: true }),
  entry({ arch: 'deit_small_patch16_224', paramCount: 22_050_664, tags: ['fb_in1k'], imagenetNorm: true }),
  entry({ arch: 'deit_base_patch16_224', paramCount: 86_567_656, tags: ['fb_in1k'], imagenetNorm: true }),
  entry({
    arch: 'deit_tiny_distilled_patch16_224',
    paramCount: 5_910_800,
    tags: ['fb_in1k'],
    imagenetNorm: true,
  }),
  entry({
    arch: 'deit_small_distilled_patch16_224',
    paramCount: 22_436_432,
    tags: ['fb_in1k'],
    imagenetNorm: true,
  }),
];
