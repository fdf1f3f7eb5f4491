/**
 * Checkpoint mapping for the EfficientNet / MobileNet family: torchvision's MobileNetV2,
 * MobileNetV3 and EfficientNet keys onto timm's, as a pure function over key names.
 *
 * torchvision numbers its layers flat (`features.N`, MobileNetV2/V3) or by stage
 * (`features.S.J`, EfficientNet); inside a block, its `block` (or MobileNetV2's `conv`) is a
 * sequence of conv-norm units and a squeeze-excite (`fc1`, `fc2`) in timm's order, so the mapping
 * walks the resolved network plan and names each unit after timm's child.
 * @module
 */
import type { Tensor, TensorSource } from '@ocular/core';
import { type EfficientNetPlan, planNetwork, type ResolvedBlock } from './builder.js';
import type { EfficientNetConfig } from './configs.js';

/** A unit of a torchvision block: a conv + norm pair (timm names), or the squeeze-excite. */
type Unit = readonly [conv: string, norm: string] | 'se';

/** timm's children of a block, in torchvision's order. */
function units(b: ResolvedBlock): Unit[] {
  const se: Unit[] = b.seChs ? ['se'] : [];
  switch (b.def.type) {
    case 'ds':
      return [['conv_dw', 'bn1'], ...se, ['conv_pw', 'bn2']];
    case 'ir':
      return [['conv_pw', 'bn1'], ['conv_dw', 'bn2'], ...se, ['conv_pwl', 'bn3']];
    case 'er':
      return [['conv_exp', 'bn1'], ...se, ['conv_pwl', 'bn2']];
    case 'cn':
      return [['conv', 'bn1']];
  }
}

/** Adds `from.{sub}` → `to.{sub}` for the weight, bias and batch-norm tensors. */
function pair(map: Map<string, string>, from: string, to: string, subs: readonly string[]): void {
  for (const s of subs) map.set(`${to}.${s}`, `${from}.${s}`);
}

const CONV = ['weight', 'bias'];
const NORM = ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked'];

/** The torchvision layouts the filter knows. */
export type TorchvisionLayout = 'mobilenet_v2' | 'mobilenet_v3' | 'efficientnet';

/** Which torchvision layout the keys (under `features.` or `backbone.`) follow, if any. */
export function torchvisionLayout(keys: readonly string[], root: string): TorchvisionLayout | undefined {
  if (keys.some((k) => k.startsWith(`${root}1.conv.`))) return 'mobilenet_v2';
  if (keys.some((k) => k.startsWith(`${root}1.block.`))) return 'mobilenet_v3';
  if (keys.some((k) => k.startsWith(`${root}1.0.block.`))) return 'efficientnet';
  return undefined;
}

/**
 * timm key → torchvision key for a plan: `root` is `features.` (classification checkpoints) or
 * `backbone.` (segmentation models' `IntermediateLayerGetter`, which keeps the feature indices).
 */
export function torchvisionKeyMap(
  plan: EfficientNetPlan,
  layout: TorchvisionLayout,
  root = 'features.',
): Map<string, string> {
  const map = new Map<string, string>();
  pair(map, `${root}0.0`, 'conv_stem', CONV);
  pair(map, `${root}0.1`, 'bn1', NORM);
  let flat = 1;
  plan.stages.forEach((stage, s) => {
    stage.forEach((b, j) => {
      const to = `blocks.${s}.${j}`;
      const from = layout === 'efficientnet' ? `${root}${s + 1}.${j}` : `${root}${flat}`;
      flat++;
      const list = units(b);
      if (b.def.type === 'cn') {
        // A plain conv-norm-act layer in torchvision, not a residual block.
        pair(map, `${from}.0`, `${to}.conv`, CONV);
        pair(map, `${from}.1`, `${to}.bn1`, NORM);
      } else if (layout === 'mobilenet_v2') {
        // `conv`: conv-norm units, then the projection conv and its norm as two entries.
        const [last, ...head] = [...list].reverse() as [readonly [string, string], ...Unit[]];
        const n = head.length;
        head.reverse().forEach((u, i) => {
          if (u === 'se') return;
          pair(map, `${from}.conv.${i}.0`, `${to}.${u[0]}`, CONV);
          pair(map, `${from}.conv.${i}.1`, `${to}.${u[1]}`, NORM);
        });
        pair(map, `${from}.conv.${n}`, `${to}.${last[0]}`, CONV);
        pair(map, `${from}.conv.${n + 1}`, `${to}.${last[1]}`, NORM);
      } else {
        list.forEach((u, i) => {
          if (u === 'se') {
            pair(map, `${from}.block.${i}.fc1`, `${to}.se.conv_reduce`, CONV);
            pair(map, `${from}.block.${i}.fc2`, `${to}.se.conv_expand`, CONV);
          } else {
            pair(map, `${from}.block.${i}.0`, `${to}.${u[0]}`, CONV);
            pair(map, `${from}.block.${i}.1`, `${to}.${u[1]}`, NORM);
          }
        });
      }
    });
  });
  const head = layout === 'efficientnet' ? `${root}${plan.stages.length + 1}` : `${root}${flat}`;
  if (layout === 'mobilenet_v3') {
    // torchvision's pre-logits Linear is timm's 1×1 head conv after pooling.
    pair(map, 'classifier.0', 'conv_head', CONV);
    pair(map, 'classifier.3', 'classifier', CONV);
  } else {
    pair(map, `${head}.0`, 'conv_head', CONV);
    pair(map, `${head}.1`, 'bn2', NORM);
    pair(map, 'classifier.1', 'classifier', CONV);
  }
  return map;
}

/** Options of {@link checkpointFilter}. */
export interface CheckpointFilterOptions {
  /**
   * Keys of the module being loaded: when given (features-only models), keys outside it are left
   * out, as timm loads its features models non-strictly (no head conv, pruned stages).
   */
  readonly keep?: ReadonlySet<string>;
}

const PREFIXES = ['module.', ''] as const;

/**
 * Maps a torchvision (or timm) checkpoint of this family onto timm's keys. A pure function
 * returning a view. torchvision classification checkpoints (`features.…`, `classifier.N`) and
 * segmentation checkpoints (`backbone.N…`, backbone only) are recognised by their keys and
 * renamed through {@link torchvisionKeyMap}; other checkpoints pass unchanged (less a
 * `module.` prefix). MobileNetV3's `classifier.0` Linear weight becomes the `[out, in, 1, 1]`
 * head conv. Note that torchvision's segmentation backbones are dilated in their last stages:
 * the weights fit, the feature resolution differs.
 */
export function checkpointFilter(
  state: TensorSource,
  config: EfficientNetConfig,
  options: CheckpointFilterOptions = {},
): TensorSource {
  const keys = [...state.keys()];
  let map: Map<string, string> | undefined;
  for (const p of PREFIXES) {
    for (const root of [`${p}features.`, `${p}backbone.`]) {
      const layout = torchvisionLayout(keys, root);
      if (!layout) continue;
      const named = torchvisionKeyMap(planNetwork(config), layout, root);
      map = new Map([...named].map(([to, from]) => [to, from.startsWith('classifier.') ? p + from : from]));
      break;
    }
    if (map) break;
  }
  if (!map) {
    const hasModule = keys.length > 0 && keys.every((k) => k.startsWith('module.'));
    map = new Map(keys.map((k) => [hasModule ? k.slice('module.'.length) : k, k]));
  }
  const present = new Set(keys);
  for (const [to, from] of [...map]) {
    if (!present.has(from) || (options.keep && !options.keep.has(to))) map.delete(to);
  }
  const reshapeHead = config.kind === 'mobilenetv3';
  const isLinearHead = (to: string, from: string) =>
    reshapeHead && to === 'conv_head.weight' && from.endsWith('classifier.0.weight');
  return {
    keys: () => map.keys(),
    get: (k) => {
      const src = map.get(k);
      if (src === undefined) return undefined;
      const t = state.get(src);
      if (!isLinearHead(k, src) || t === undefined) return t;
      const conv = (x: Tensor) => x.reshape([...x.dims, 1, 1]);
      return t instanceof Promise ? t.then(conv) : conv(t);
    },
    info: state.info
      ? (k) => {
          const src = map.get(k);
          const i = src === undefined ? undefined : state.info!(src);
          if (!i || !isLinearHead(k, src!)) return i;
          return { dtype: i.dtype, shape: [...i.shape, 1, 1] };
        }
      : undefined,
  };
}
