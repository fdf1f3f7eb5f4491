/**
 * timm's `Twins` (SVT variants): per stage a patch embedding (`patch_embeds.i`), blocks
 * (`blocks.i.j`, locally-grouped and global sub-sampled attention alternating) with the
 * position-encoding conv after the first (`pos_block.i`); final `norm` on the tokens, mean over
 * tokens, linear `head`. Feature maps are NCHW, before the final norm.
 * @module
 */
import {
  type ClassifierModel,
  F,
  type FeatureInfo,
  FeatureListNet,
  featureTakeIndices,
  Identity,
  type Intermediates,
  type IntermediatesOptions,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  type ModelBuildOptions,
  type ModelFactoryObject,
  Module,
  ModuleList,
  PatchEmbed,
  type SymbolicTensor,
  type TensorSource,
} from '@ocular/core';
import { PosConv, TwinsBlock } from './blocks.js';
import { TWINS_CONFIGS, type TwinsConfig } from './configs.js';
import { twinsFeatureInfo } from './variants.js';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

/** Options of {@link Twins} besides the architecture. */
export interface TwinsOptions {
  /** Classifier size (default 1000; 0 = no classifier). */
  readonly numClasses?: number;
  /** Input channels (default 3). */
  readonly inChans?: number;
}

/** A Twins-SVT classifier with timm's module names. */
export class Twins extends Module<[SymbolicTensor], SymbolicTensor> implements ClassifierModel {
  readonly featureInfo: readonly FeatureInfo[];
  readonly numFeatures: number;
  readonly config: TwinsConfig;
  readonly patchEmbeds: ModuleList<PatchEmbed>;
  readonly blocks: ModuleList<ModuleList<TwinsBlock>>;
  readonly posBlock: ModuleList<PosConv>;
  #numClasses: number;

  constructor(config: TwinsConfig, options: TwinsOptions = {}) {
    super();
    this.config = config;
    const { embedDims, numHeads, depths, wss } = config;
    const n = depths.length;
    const mlp = config.mlpRatios ?? embedDims.map(() => 4);
    const sr = config.srRatios ?? [8, 4, 2, 1];
    if ([embedDims, numHeads, wss, mlp, sr].some((a) => a.length !== n)) {
      throw new InvalidArgumentError(`Twins: every per-stage setting needs ${n} values`);
    }
    let prev = options.inChans ?? 3;
    this.patchEmbeds = this.registerModule(
      'patch_embeds',
      new ModuleList(
        embedDims.map((dim, i) => {
          const pe = new PatchEmbed({
            imgSize: null,
            patchSize: i === 0 ? (config.patchSize ?? 4) : 2,
            inChans: prev,
            embedDim: dim,
            normLayer: (d) => new LayerNorm(d),
          });
          prev = dim;
          return pe;
        }),
      ),
    );
    this.blocks = this.registerModule(
      'blocks',
      new ModuleList(
        embedDims.map(
          (dim, k) =>
            new ModuleList(
              Array.from(
                { length: depths[k]! },
                (_, i) =>
                  new TwinsBlock(dim, {
                    numHeads: numHeads[k]!,
                    mlpRatio: mlp[k]!,
                    srRatio: sr[k]!,
                    ws: i % 2 === 1 ? 1 : wss[k]!,
                  }),
              ),
            ),
        ),
      ),
    );
    this.posBlock = this.registerModule('pos_block', new ModuleList(embedDims.map((d) => new PosConv(d, d))));
    this.numFeatures = embedDims[n - 1]!;
    this.registerModule('norm', new LayerNorm(this.numFeatures, { eps: 1e-6 }));
    this.#numClasses = options.numClasses ?? 1000;
    this.registerModule(
      'head',
      this.#numClasses > 0 ? new Linear(this.numFeatures, this.#numClasses) : new Identity(),
    );
    this.featureInfo = twinsFeatureInfo(config);
  }

  #layer(name: string): Layer {
    return this.child(name) as Layer;
  }

  /** Current classifier size. */
  get numClasses(): number {
    return this.#numClasses;
  }

  resetClassifier(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 0)
      throw new InvalidArgumentError(`resetClassifier: numClasses must be an integer ≥ 0, got ${numClasses}`);
    this.#numClasses = numClasses;
    this.registerModule('head', numClasses > 0 ? new Linear(this.numFeatures, numClasses) : new Identity());
  }

  /** Stage `i` on an NCHW map: tokens `[B, N, C]` and their (H, W). */
  #stage(x: SymbolicTensor, i: number): [SymbolicTensor, [number, number]] {
    const embed = this.patchEmbeds.get(i);
    const [, , hIn, wIn] = x.shape;
    if (typeof hIn !== 'number' || typeof wIn !== 'number') {
      throw new InvalidArgumentError(`Twins: height and width must be static, got [${x.shape.join(', ')}]`);
    }
    const size: [number, number] = [
      Math.floor(hIn / embed.patchSize[0]),
      Math.floor(wIn / embed.patchSize[1]),
    ];
    let t = embed.call(x);
    let j = 0;
    for (const blk of this.blocks.get(i)) {
      t = blk.call(t, size);
      if (j++ === 0) t = this.posBlock.get(i).call(t, size);
    }
    return [t, size];
  }

  /** Tokens `[B, N, C]` → NCHW map. */
  static #toMap(t: SymbolicTensor, [h, w]: [number, number]): SymbolicTensor {
    return F.permute(F.reshape(t, [0, h, w, t.shape[2] as number]), [0, 3, 1, 2]);
  }

  /** The final tokens `[B, N, C]` after the norm. */
  forwardFeatures(x: SymbolicTensor): SymbolicTensor {
    let y = x;
    const n = this.config.depths.length;
    for (let i = 0; i < n; i++) {
      const [t, size] = this.#stage(y, i);
      y = i < n - 1 ? Twins.#toMap(t, size) : t;
    }
    return this.#layer('norm').call(y);
  }

  /** Mean over tokens, then the linear head. */
  forwardHead(x: SymbolicTensor, preLogits = false): SymbolicTensor {
    const pooled = F.flatten(F.globalAvgPool(F.unsqueeze(F.permute(x, [0, 2, 1]), 3)), 1);
    return preLogits ? pooled : this.#layer('head').call(pooled);
  }

  forwardIntermediates(
    x: SymbolicTensor,
    indices?: number | readonly number[],
    options: IntermediatesOptions = {},
  ): Intermediates {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    const n = this.featureInfo.length;
    const intermediates: SymbolicTensor[] = [];
    const last = options.intermediatesOnly ? maxIndex : n - 1;
    let y = x;
    let tokens = x;
    for (let i = 0; i <= last; i++) {
      const [t, size] = this.#stage(y, i);
      tokens = t;
      y = Twins.#toMap(t, size);
      if (take.includes(i)) intermediates.push(y);
    }
    if (options.intermediatesOnly) return { intermediates };
    return { final: this.#layer('norm').call(tokens), intermediates };
  }

  pruneIntermediateLayers(indices?: number | readonly number[]): number[] {
    const { indices: take, maxIndex } = featureTakeIndices(this.featureInfo.length, indices);
    // Later stages are never run by the features model; dropping them drops their keys, as timm.
    for (let i = this.featureInfo.length - 1; i > maxIndex; i--) {
      for (const list of [this.patchEmbeds, this.blocks, this.posBlock] as ModuleList[]) {
        list.registerModule(String(i), new Identity());
      }
    }
    this.registerModule('norm', new Identity());
    this.registerModule('head', new Identity());
    return take;
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return this.forwardHead(this.forwardFeatures(x));
  }
}

const KWARG_NAMES: Readonly<Record<string, keyof TwinsConfig>> = {
  patchSize: 'patchSize',
  patch_size: 'patchSize',
  embedDims: 'embedDims',
  embed_dims: 'embedDims',
  numHeads: 'numHeads',
  num_heads: 'numHeads',
  mlpRatios: 'mlpRatios',
  mlp_ratios: 'mlpRatios',
  depths: 'depths',
  srRatios: 'srRatios',
  sr_ratios: 'srRatios',
  wss: 'wss',
};

/** The configuration of a registered architecture with builder kwargs applied (camelCase or snake_case). */
export function twinsConfig(arch: string, kwargs: Readonly<Record<string, unknown>> = {}): TwinsConfig {
  const base = (TWINS_CONFIGS as Record<string, TwinsConfig>)[arch];
  if (!base) throw new InvalidArgumentError(`unknown Twins architecture '${arch}'`);
  const config: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(kwargs)) {
    const name = KWARG_NAMES[k];
    if (!name) {
      throw new InvalidArgumentError(
        `Twins '${arch}': unknown argument '${k}' (known: ${[...new Set(Object.values(KWARG_NAMES))].join(', ')})`,
      );
    }
    config[name] = v;
  }
  return config as unknown as TwinsConfig;
}

/** Builds a registered Twins (or its features-only wrapper) from registry options. */
export function create(options: ModelBuildOptions): Twins | FeatureListNet {
  const model = new Twins(twinsConfig(options.arch, options.kwargs), {
    numClasses: options.numClasses,
    inChans: options.inChans,
  });
  return options.featuresOnly ? new FeatureListNet(model, options.outIndices) : model;
}

/** A view of `state` without the final `norm.` and `head.` keys (a features-only model has neither). */
function withoutHead(state: TensorSource): TensorSource {
  const keep = (k: string) => !k.startsWith('head.') && !k.startsWith('norm.');
  return {
    keys: () => [...state.keys()].filter(keep),
    get: (k) => (keep(k) ? state.get(k) : undefined),
    info: state.info ? (k) => (keep(k) ? state.info!(k) : undefined) : undefined,
  };
}

/** The registry factory: builder, features-only checkpoint view, feature info. */
export const factory: ModelFactoryObject = {
  create,
  checkpointFilter: (state, _module, options) => (options.featuresOnly ? withoutHead(state) : state),
  featureInfo: (module) => (module as Twins | FeatureListNet).featureInfo,
};
