/**
 * Checkpoint mapping for ConvNeXt: torchvision's `convnext_tiny/small/base` keep the network as
 * one `features` Sequential (stem, stage, downsample, stage, ...) with `CNBlock`s whose layers sit
 * in `block.0..6` and whose layer scale is `layer_scale` `[C, 1, 1]`; timm names them `stem`,
 * `stages.i.downsample`, `stages.i.blocks.j.{conv_dw, norm, mlp.fc1, mlp.fc2, gamma [C]}` and
 * `head.norm` / `head.fc`. The architectures are otherwise identical (channels-last Linear MLP,
 * layer-norm eps 1e-6), so the weights carry over exactly.
 * @module
 */
import type { TensorSource } from '@ocular/core';

/** torchvision `CNBlock.block` child index → timm block child. */
const BLOCK_CHILD: Readonly<Record<string, string>> = {
  '0': 'conv_dw',
  '2': 'norm',
  '3': 'mlp.fc1',
  '5': 'mlp.fc2',
};

/**
 * The timm key of one torchvision ConvNeXt key, or `undefined` when it is not a torchvision
 * ConvNeXt key. `features.0` is the stem, odd `features.n` the stages (n−1)/2, even
 * `features.n` (n ≥ 2) the downsampling in front of stage n/2, `classifier.0/2` the head.
 */
export function torchvisionConvNeXtKey(key: string): string | undefined {
  let m = /^features\.0\.([01])\.(weight|bias)$/.exec(key);
  if (m) return `stem.${m[1]}.${m[2]}`;
  m = /^features\.(\d+)\.(\d+)\.layer_scale$/.exec(key);
  if (m && Number(m[1]) % 2 === 1) return `stages.${(Number(m[1]) - 1) / 2}.blocks.${m[2]}.gamma`;
  m = /^features\.(\d+)\.(\d+)\.block\.(\d+)\.(weight|bias)$/.exec(key);
  if (m && Number(m[1]) % 2 === 1 && BLOCK_CHILD[m[3]!]) {
    return `stages.${(Number(m[1]) - 1) / 2}.blocks.${m[2]}.${BLOCK_CHILD[m[3]!]}.${m[4]}`;
  }
  m = /^features\.(\d+)\.([01])\.(weight|bias)$/.exec(key);
  if (m && Number(m[1]) >= 2 && Number(m[1]) % 2 === 0) {
    return `stages.${Number(m[1]) / 2}.downsample.${m[2]}.${m[3]}`;
  }
  m = /^classifier\.([02])\.(weight|bias)$/.exec(key);
  if (m) return `head.${m[1] === '0' ? 'norm' : 'fc'}.${m[2]}`;
  return undefined;
}

/**
 * Maps a torchvision ConvNeXt checkpoint (optionally under a `DataParallel` `module.` prefix)
 * onto timm's keys: a pure function returning a view, with each `layer_scale` `[C, 1, 1]`
 * reshaped to timm's `gamma` `[C]`. Checkpoints that are not torchvision's (no
 * `features.0.0.weight`) pass unchanged; keys the mapping does not know keep their names, so
 * loading reports them.
 */
export function checkpointFilter(state: TensorSource): TensorSource {
  const keys = [...state.keys()];
  const prefix = keys.includes('features.0.0.weight')
    ? ''
    : keys.includes('module.features.0.0.weight')
      ? 'module.'
      : undefined;
  if (prefix === undefined) return state;
  const mapped = new Map<string, string>();
  for (const k of keys) {
    const inner = k.startsWith(prefix) ? k.slice(prefix.length) : k;
    mapped.set(torchvisionConvNeXtKey(inner) ?? inner, k);
  }
  const isGamma = (k: string) => k.endsWith('.gamma');
  return {
    keys: () => mapped.keys(),
    get: (k) => {
      const src = mapped.get(k);
      if (src === undefined) return undefined;
      const t = state.get(src);
      if (!isGamma(k) || t === undefined) return t;
      return t instanceof Promise ? t.then((v) => v.reshape([v.size])) : t.reshape([t.size]);
    },
    info: state.info
      ? (k) => {
          const src = mapped.get(k);
          const info = src === undefined ? undefined : state.info!(src);
          if (!info || !isGamma(k)) return info;
          return { dtype: info.dtype, shape: [info.shape.reduce((a, b) => a * b, 1)] };
        }
      : undefined,
  };
}
