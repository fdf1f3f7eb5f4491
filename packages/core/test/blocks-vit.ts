/**
 * Test helper: timm's VisionTransformer (class token, learned position embedding, pre-norm
 * blocks, token pooling) assembled from the shared blocks, with timm's state-dict names.
 */
import { Attention, DropPath, Mlp, PatchEmbed } from '../src/blocks/index.js';
import * as F from '../src/functional.js';
import type { SymbolicTensor } from '../src/ir/trace.js';
import { Identity, LayerNorm, Linear, Module, ModuleList } from '../src/nn/index.js';
import { Tensor } from '../src/tensor.js';

/** Configuration of {@link ViT}. */
export interface ViTConfig {
  imgSize: number;
  patchSize: number;
  embedDim: number;
  depth: number;
  numHeads: number;
  mlpRatio: number;
  numClasses: number;
}

class ViTBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly ls1 = new Identity();
  readonly dropPath1 = new DropPath();
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;
  readonly ls2 = new Identity();
  readonly dropPath2 = new DropPath();

  constructor(c: ViTConfig) {
    super();
    this.norm1 = this.registerModule('norm1', new LayerNorm(c.embedDim, { eps: 1e-6 }));
    this.attn = this.registerModule(
      'attn',
      new Attention(c.embedDim, { numHeads: c.numHeads, qkvBias: true }),
    );
    this.registerModule('ls1', this.ls1);
    this.registerModule('drop_path1', this.dropPath1);
    this.norm2 = this.registerModule('norm2', new LayerNorm(c.embedDim, { eps: 1e-6 }));
    this.mlp = this.registerModule('mlp', new Mlp(c.embedDim, { hiddenFeatures: c.embedDim * c.mlpRatio }));
    this.registerModule('ls2', this.ls2);
    this.registerModule('drop_path2', this.dropPath2);
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = F.add(x, this.dropPath1.call(this.ls1.call(this.attn.call(this.norm1.call(x)))));
    return F.add(y, this.dropPath2.call(this.ls2.call(this.mlp.call(this.norm2.call(y)))));
  }
}

/** Returns `{ logits, features }`; the batch may be symbolic. */
export class ViT extends Module<[SymbolicTensor], Record<string, SymbolicTensor>> {
  readonly clsToken: Tensor<'float32'>;
  readonly posEmbed: Tensor<'float32'>;
  readonly patchEmbed: PatchEmbed;
  readonly blocks: ModuleList<ViTBlock>;
  readonly norm: LayerNorm;
  readonly head: Linear;

  constructor(readonly cfg: ViTConfig) {
    super();
    const n = (cfg.imgSize / cfg.patchSize) ** 2 + 1;
    this.clsToken = this.registerParameter('cls_token', Tensor.zeros('float32', [1, 1, cfg.embedDim]));
    this.posEmbed = this.registerParameter('pos_embed', Tensor.zeros('float32', [1, n, cfg.embedDim]));
    this.patchEmbed = this.registerModule(
      'patch_embed',
      new PatchEmbed({ imgSize: cfg.imgSize, patchSize: cfg.patchSize, embedDim: cfg.embedDim }),
    );
    this.blocks = this.registerModule(
      'blocks',
      new ModuleList(Array.from({ length: cfg.depth }, () => new ViTBlock(cfg))),
    );
    this.norm = this.registerModule('norm', new LayerNorm(cfg.embedDim, { eps: 1e-6 }));
    this.head = this.registerModule('head', new Linear(cfg.embedDim, cfg.numClasses));
  }

  forward(x: SymbolicTensor): Record<string, SymbolicTensor> {
    let t = this.patchEmbed.call(x);
    t = F.add(F.concat([F.expandBatch(this.clsToken, t), t], 1), this.posEmbed);
    for (const b of this.blocks) t = b.call(t);
    const features = this.norm.call(t);
    return { logits: this.head.call(F.gather(features, 0, 1)), features };
  }
}
