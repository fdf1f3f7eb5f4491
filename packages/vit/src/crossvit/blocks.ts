/**
 * CrossViT's blocks (timm's `crossvit.py`): the transformer block of each branch, cross
 * attention from one branch's class token to the other branch's patch tokens, and the
 * multi-scale block that runs the branches and exchanges their class tokens.
 * @module
 */
import {
  Attention,
  createActivation,
  Dropout,
  F,
  Identity,
  InvalidArgumentError,
  LayerNorm,
  Linear,
  Mlp,
  Module,
  ModuleList,
  Sequential,
  type SymbolicTensor,
} from '@ocular/core';

type Layer = Module<[SymbolicTensor], SymbolicTensor>;

const norm = (dim: number) => new LayerNorm(dim, { eps: 1e-6 });

/**
 * The pre-norm transformer block CrossViT takes from timm's ViT (`norm1`, `attn`, `ls1`,
 * `norm2`, `mlp`, `ls2`; no layer scale, so `ls1`/`ls2` are identities).
 */
export class CrossVitTransformerBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly norm1: LayerNorm;
  readonly attn: Attention;
  readonly norm2: LayerNorm;
  readonly mlp: Mlp;

  constructor(dim: number, options: { numHeads: number; mlpRatio: number; qkvBias: boolean }) {
    super();
    this.norm1 = this.registerModule('norm1', norm(dim));
    this.attn = this.registerModule(
      'attn',
      new Attention(dim, { numHeads: options.numHeads, qkvBias: options.qkvBias }),
    );
    this.registerModule('ls1', new Identity());
    this.norm2 = this.registerModule('norm2', norm(dim));
    this.mlp = this.registerModule(
      'mlp',
      new Mlp(dim, { hiddenFeatures: Math.floor(dim * options.mlpRatio) }),
    );
    this.registerModule('ls2', new Identity());
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const y = F.add(x, this.attn.call(this.norm1.call(x)));
    return F.add(y, this.mlp.call(this.norm2.call(y)));
  }
}

/**
 * timm's `CrossAttention` (`wq`, `wk`, `wv`, `attn_drop`, `proj`, `proj_drop`): the first token
 * queries all tokens; the scores are scaled after the product, as timm does. Returns `[B, 1, C]`.
 */
export class CrossAttention extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly numHeads: number;
  readonly headDim: number;
  readonly scale: number;
  readonly wq: Linear;
  readonly wk: Linear;
  readonly wv: Linear;
  readonly proj: Linear;

  constructor(dim: number, options: { numHeads: number; qkvBias: boolean }) {
    super();
    this.numHeads = options.numHeads;
    if (dim % this.numHeads)
      throw new InvalidArgumentError(`CrossAttention: dim ${dim} is not divisible by ${this.numHeads} heads`);
    this.headDim = dim / this.numHeads;
    this.scale = this.headDim ** -0.5;
    const bias = options.qkvBias;
    this.wq = this.registerModule('wq', new Linear(dim, dim, { bias }));
    this.wk = this.registerModule('wk', new Linear(dim, dim, { bias }));
    this.wv = this.registerModule('wv', new Linear(dim, dim, { bias }));
    this.registerModule('attn_drop', new Dropout(0));
    this.proj = this.registerModule('proj', new Linear(dim, dim));
    this.registerModule('proj_drop', new Dropout(0));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    const heads = (t: SymbolicTensor) =>
      F.permute(F.reshape(t, [0, 0, this.numHeads, this.headDim]), [0, 2, 1, 3]);
    const q = heads(this.wq.call(F.slice(x, [0], [1], [1]))); // [B, H, 1, d]
    const k = heads(this.wk.call(x));
    const v = heads(this.wv.call(x));
    const attn = F.softmax(F.mul(F.matmul(q, F.permute(k, [0, 1, 3, 2])), this.scale), -1);
    const y = F.reshape(F.permute(F.matmul(attn, v), [0, 2, 1, 3]), [0, 1, this.numHeads * this.headDim]);
    return this.proj.call(y);
  }
}

/** timm's `CrossAttentionBlock`: `x[:, :1] + attn(norm1(x))` (the class token only). */
export class CrossAttentionBlock extends Module<[SymbolicTensor], SymbolicTensor> {
  readonly norm1: LayerNorm;
  readonly attn: CrossAttention;

  constructor(dim: number, options: { numHeads: number; qkvBias: boolean }) {
    super();
    this.norm1 = this.registerModule('norm1', norm(dim));
    this.attn = this.registerModule('attn', new CrossAttention(dim, options));
  }

  forward(x: SymbolicTensor): SymbolicTensor {
    return F.add(F.slice(x, [0], [1], [1]), this.attn.call(this.norm1.call(x)));
  }
}

/** norm → GELU → linear, mapping a class token between branch widths. */
function tokenProj(from: number, to: number): Sequential {
  return new Sequential([norm(from), createActivation('gelu') as Layer, new Linear(from, to)]);
}

/**
 * timm's `MultiScaleBlock`: each branch's transformer blocks (`blocks.i`), then for each branch
 * its class token projected to the next branch's width (`projs.i`), fused with that branch's
 * patch tokens by cross attention (`fusion.i`), and projected back (`revert_projs.i`).
 */
export class MultiScaleBlock extends Module<[SymbolicTensor[]], SymbolicTensor[]> {
  readonly blocks: ModuleList<Sequential>;
  readonly projs: ModuleList<Sequential>;
  readonly fusion: ModuleList<Layer>;
  readonly revertProjs: ModuleList<Sequential>;

  constructor(
    dims: readonly number[],
    depth: readonly number[],
    options: { numHeads: readonly number[]; mlpRatio: readonly number[]; qkvBias: boolean },
  ) {
    super();
    const n = dims.length;
    const next = (d: number) => (d + 1) % n;
    if (depth.length !== n + 1 || depth.slice(0, n).some((v) => v < 1))
      throw new InvalidArgumentError(
        `MultiScaleBlock: depth needs ${n} branch depths ≥ 1 and a fusion depth, got [${depth.join(', ')}]`,
      );
    this.blocks = this.registerModule(
      'blocks',
      new ModuleList(
        dims.map(
          (dim, d) =>
            new Sequential(
              Array.from(
                { length: depth[d]! },
                () =>
                  new CrossVitTransformerBlock(dim, {
                    numHeads: options.numHeads[d]!,
                    mlpRatio: options.mlpRatio[d]!,
                    qkvBias: options.qkvBias,
                  }),
              ),
            ),
        ),
      ),
    );
    this.projs = this.registerModule(
      'projs',
      new ModuleList(dims.map((dim, d) => tokenProj(dim, dims[next(d)]!))),
    );
    const fusionDepth = depth[n]!;
    this.fusion = this.registerModule(
      'fusion',
      new ModuleList<Layer>(
        dims.map((_, d) => {
          const opts = { numHeads: options.numHeads[next(d)]!, qkvBias: options.qkvBias };
          const make = () => new CrossAttentionBlock(dims[next(d)]!, opts);
          // Depth 0 is timm's backward-compatible form: one block, no container.
          return fusionDepth === 0 ? make() : new Sequential(Array.from({ length: fusionDepth }, make));
        }),
      ),
    );
    this.revertProjs = this.registerModule(
      'revert_projs',
      new ModuleList(dims.map((dim, d) => tokenProj(dims[next(d)]!, dim))),
    );
  }

  forward(xs: SymbolicTensor[]): SymbolicTensor[] {
    const n = xs.length;
    const outs = xs.map((x, i) => this.blocks.get(i).call(x));
    const cls = outs.map((x, i) => this.projs.get(i).call(F.slice(x, [0], [1], [1])));
    const patches = (x: SymbolicTensor) => F.slice(x, [1], [Number.POSITIVE_INFINITY], [1]);
    return outs.map((x, i) => {
      const fused = this.fusion.get(i).call(F.concat([cls[i]!, patches(outs[(i + 1) % n]!)], 1));
      const back = this.revertProjs.get(i).call(F.slice(fused, [0], [1], [1]));
      return F.concat([back, patches(x)], 1);
    });
  }
}
