/**
 * Checkpoint mapping for ResNets. timm's ResNet keeps torchvision's names (`conv1`, `bn1`,
 * `layerN.i.convK`, `downsample.0/1`, `fc`), so torchvision classification checkpoints load as
 * they are; this filter strips what torchvision's task models wrap the backbone in.
 * @module
 */
import type { TensorSource } from '@ocular/core';

/**
 * Prefixes under which torchvision and training wrappers keep a ResNet, tried in order:
 * detection models (`backbone.body.`, an `IntermediateLayerGetter` inside `BackboneWithFPN`),
 * segmentation models (`backbone.`), and `DataParallel` (`module.`).
 */
export const RESNET_CHECKPOINT_PREFIXES = [
  'module.backbone.body.',
  'backbone.body.',
  'module.backbone.',
  'backbone.',
  'module.',
] as const;

/**
 * Maps a torchvision (or timm) ResNet checkpoint onto timm's keys. A pure function returning a
 * view: when the keys sit under one of {@link RESNET_CHECKPOINT_PREFIXES} (the first that any key
 * has), only the keys under it are kept, without the prefix, so the task model's other parts
 * (FPN, heads, `classifier`, `aux_classifier`) are left out; otherwise the keys pass unchanged.
 * Detection checkpoints saved with `FrozenBatchNorm2d` lack `num_batches_tracked`, which loading
 * accepts. Note that torchvision's segmentation backbones are dilated (output stride 8): their
 * weights fit a ResNet, their feature resolution differs.
 */
export function checkpointFilter(state: TensorSource): TensorSource {
  const keys = [...state.keys()];
  const prefix = RESNET_CHECKPOINT_PREFIXES.find((p) => keys.some((k) => k.startsWith(p)));
  if (!prefix) return state;
  const mapped = new Map<string, string>();
  for (const k of keys) if (k.startsWith(prefix)) mapped.set(k.slice(prefix.length), k);
  return {
    keys: () => mapped.keys(),
    get: (k) => {
      const src = mapped.get(k);
      return src === undefined ? undefined : state.get(src);
    },
    info: state.info
      ? (k) => {
          const src = mapped.get(k);
          return src === undefined ? undefined : state.info!(src);
        }
      : undefined,
  };
}
