/**
 * Registry entries of the EfficientNet / MobileNet family: metadata only (listable without
 * loading model code); `load()` imports the model. Defaults and tags follow timm's
 * `pretrained_cfg`s.
 * @module
 */
import type { FeatureInfo, ModelEntry, ModelFactory } from '@ocular/core';
import { planNetwork } from './builder.js';
import { EFFICIENTNET_CONFIGS, type EfficientNetArch } from './configs.js';

const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
const INCEPTION_MEAN = [0.5, 0.5, 0.5] as const;
const INCEPTION_STD = [0.5, 0.5, 0.5] as const;
const PAPER_MOBILENETV1 = 'https://arxiv.org/abs/1704.04861';
const PAPER_MOBILENETV2 = 'https://arxiv.org/abs/1801.04381';
const PAPER_MOBILENETV3 = 'https://arxiv.org/abs/1905.02244';
const PAPER_EFFICIENTNET = 'https://arxiv.org/abs/1905.11946';

/** timm's `feature_info` of a registered architecture. */
export function efficientnetFeatureInfo(arch: EfficientNetArch): FeatureInfo[] {
  return planNetwork(EFFICIENTNET_CONFIGS[arch]).features.map(({ module, numChs, reduction }) => ({
    module,
    numChs,
    reduction,
  }));
}

interface EntryData {
  readonly arch: EfficientNetArch;
  /** timm's `param_count` at 1000 classes. */
  readonly paramCount: number;
  /** Weight tags, default first. */
  readonly tags: readonly string[];
  readonly paper: string;
  readonly inputSize?: number;
  readonly inception?: boolean;
  readonly extraTags?: readonly string[];
}

const load = async (): Promise<ModelFactory> => (await import('./model.js')).factory;

function entry(d: EntryData): ModelEntry {
  const size = d.inputSize ?? 224;
  const kind = EFFICIENTNET_CONFIGS[d.arch].kind;
  return {
    name: d.arch,
    family: 'cnn',
    variants: d.tags,
    paramCount: d.paramCount,
    defaultInputSize: [3, size, size],
    mean: d.inception ? INCEPTION_MEAN : IMAGENET_MEAN,
    std: d.inception ? INCEPTION_STD : IMAGENET_STD,
    numClasses: 1000,
    license: 'apache-2.0',
    paper: d.paper,
    tags: [
      kind === 'mobilenetv3' ? 'mobilenetv3' : 'efficientnet',
      'mobile',
      'imagenet',
      ...(d.extraTags ?? []),
    ],
    featureInfo: efficientnetFeatureInfo(d.arch),
    classifier: 'classifier',
    firstConv: 'conv_stem',
    load,
  };
}

/** The EfficientNet / MobileNet family's registry entries. */
export const EFFICIENTNET_ENTRIES: readonly ModelEntry[] = [
  entry({
    arch: 'mobilenetv1_100',
    paramCount: 4_231_976,
    tags: ['ra4_e3600_r224_in1k'],
    paper: PAPER_MOBILENETV1,
    inception: true,
  }),
  entry({ arch: 'mobilenetv2_050', paramCount: 1_968_680, tags: ['lamb_in1k'], paper: PAPER_MOBILENETV2 }),
  entry({ arch: 'mobilenetv2_100', paramCount: 3_504_872, tags: ['ra_in1k'], paper: PAPER_MOBILENETV2 }),
  entry({ arch: 'mobilenetv2_140', paramCount: 6_108_776, tags: ['ra_in1k'], paper: PAPER_MOBILENETV2 }),
  entry({
    arch: 'mobilenetv3_large_100',
    paramCount: 5_483_032,
    tags: ['ra_in1k', 'miil_in21k_ft_in1k'],
    paper: PAPER_MOBILENETV3,
  }),
  entry({
    arch: 'mobilenetv3_small_050',
    paramCount: 1_593_224,
    tags: ['lamb_in1k'],
    paper: PAPER_MOBILENETV3,
  }),
  entry({
    arch: 'mobilenetv3_small_100',
    paramCount: 2_542_856,
    tags: ['lamb_in1k'],
    paper: PAPER_MOBILENETV3,
  }),
  entry({ arch: 'efficientnet_b0', paramCount: 5_288_548, tags: ['ra_in1k'], paper: PAPER_EFFICIENTNET }),
  entry({
    arch: 'efficientnet_b1',
    paramCount: 7_794_184,
    tags: ['ra4_e3600_r240_in1k', 'ft_in1k'],
    paper: PAPER_EFFICIENTNET,
    inputSize: 240,
    inception: true,
  }),
  entry({
    arch: 'efficientnet_b2',
    paramCount: 9_109_994,
    tags: ['ra_in1k'],
    paper: PAPER_EFFICIENTNET,
    inputSize: 256,
  }),
  entry({
    arch: 'efficientnet_b3',
    paramCount: 12_233_232,
    tags: ['ra2_in1k'],
    paper: PAPER_EFFICIENTNET,
    inputSize: 288,
  }),
  entry({ arch: 'efficientnet_lite0', paramCount: 4_652_008, tags: ['ra_in1k'], paper: PAPER_EFFICIENTNET }),
  entry({
    arch: 'tf_efficientnet_lite0',
    paramCount: 4_652_008,
    tags: ['in1k'],
    paper: PAPER_EFFICIENTNET,
    inception: true,
  }),
  entry({
    arch: 'test_efficientnet',
    paramCount: 356_196,
    tags: ['r160_in1k'],
    paper: PAPER_EFFICIENTNET,
    inputSize: 160,
    extraTags: ['test'],
  }),
  entry({
    arch: 'test_efficientnet_gn',
    paramCount: 356_196,
    tags: ['r160_in1k'],
    paper: PAPER_EFFICIENTNET,
    inputSize: 160,
    inception: true,
    extraTags: ['test'],
  }),
  entry({
    arch: 'test_efficientnet_ln',
    paramCount: 356_196,
    tags: ['r160_in1k'],
    paper: PAPER_EFFICIENTNET,
    inputSize: 160,
    extraTags: ['test'],
  }),
  entry({
    arch: 'test_efficientnet_evos',
    paramCount: 357_292,
    tags: ['r160_in1k'],
    paper: PAPER_EFFICIENTNET,
    inputSize: 160,
    inception: true,
    extraTags: ['test'],
  }),
];
