/**
 * Checkpoint mapping for RegNets: torchvision's `RegNet` (`stem.0/1`,
 * `trunk_output.blockS.blockS-I.{proj,f.a,f.b,f.se,f.c}`, `fc`) onto timm's keys (`stem.conv/bn`,
 * `sS.b(I+1).{downsample,conv1,conv2,se,conv3}`, `head.fc`), as timm's `_filter_fn` does.
 * @module
 */
import type { TensorSource } from '@ocular/core';

/** Sub-module renames inside a block, applied in order (the longer names first). */
const BLOCK_RENAMES: readonly (readonly [string, string])[] = [
  ['f.a.0', 'conv1.conv'],
  ['f.a.1', 'conv1.bn'],
  ['f.b.0', 'conv2.conv'],
  ['f.b.1', 'conv2.bn'],
  ['f.se', 'se'],
  ['f.c.0', 'conv3.conv'],
  ['f.c.1', 'conv3.bn'],
  ['proj.0', 'downsample.conv'],
  ['proj.1', 'downsample.bn'],
];

const BLOCK = /^trunk_output\.block(\d+)\.block\d+-(\d+)\.(.*)$/;

/** timm's key for one torchvision RegNet key (keys it does not know pass unchanged). */
export function regnetTorchvisionKey(key: string): string {
  if (key.startsWith('stem.0.')) return `stem.conv.${key.slice(7)}`;
  if (key.startsWith('stem.1.')) return `stem.bn.${key.slice(7)}`;
  if (key.startsWith('fc.')) return `head.${key}`;
  const m = BLOCK.exec(key);
  if (!m) return key;
  let rest = m[3]!;
  for (const [from, to] of BLOCK_RENAMES) {
    if (rest.startsWith(`${from}.`)) {
      rest = to + rest.slice(from.length);
      break;
    }
  }
  return `s${m[1]}.b${Number(m[2]) + 1}.${rest}`;
}

/**
 * Maps a torchvision RegNet checkpoint (recognised by `stem.0.weight`, optionally under
 * `module.`) onto timm's keys; other checkpoints pass unchanged. A pure function returning a view.
 */
export function checkpointFilter(state: TensorSource): TensorSource {
  const keys = [...state.keys()];
  const prefix = keys.includes('module.stem.0.weight') ? 'module.' : '';
  if (!keys.includes(`${prefix}stem.0.weight`)) return state;
  const mapped = new Map<string, string>();
  for (const k of keys) if (k.startsWith(prefix)) mapped.set(regnetTorchvisionKey(k.slice(prefix.length)), k);
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
