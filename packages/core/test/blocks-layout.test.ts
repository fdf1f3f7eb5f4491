import { describe, expect, it } from 'vitest';
import {
  Attention,
  ClassifierHead,
  ConvNormAct,
  DropPath,
  EcaModule,
  ecaKernelSize,
  getPadding,
  LayerNorm2d,
  LayerScale,
  Mlp,
  makeDivisible,
  PatchEmbed,
  resolvePadding,
  SqueezeExcite,
} from '../src/blocks/index.js';
import type { SymbolicTensor } from '../src/ir/trace.js';
import { LayerNorm, Module } from '../src/nn/index.js';
import { type LayoutEntry, layout, layoutUnder, moduleLayout } from './nn-reference.js';

// Each block's state dict must equal the slice of a real timm state dict (keys, order, shapes,
// param/buffer kind, dtype), from /work/shared/reference/layouts. Inline excerpts from the same
// files run even when the reference data is absent.

describe('block layouts (inline timm excerpts)', () => {
  it('ConvNormAct = timm regnety_016 s1.b1.conv2 (grouped 3×3, BN with num_batches_tracked)', () => {
    const expected: LayoutEntry[] = [
      ['conv.weight', [48, 24, 3, 3], 'param', 'float32'],
      ['bn.weight', [48], 'param', 'float32'],
      ['bn.bias', [48], 'param', 'float32'],
      ['bn.running_mean', [48], 'buffer', 'float32'],
      ['bn.running_var', [48], 'buffer', 'float32'],
      ['bn.num_batches_tracked', [], 'buffer', 'int64'],
    ];
    expect(moduleLayout(new ConvNormAct(48, 48, { kernelSize: 3, groups: 2 }))).toEqual(expected);
  });

  it('EcaModule = timm ecaresnet50d layerN.0.se (kernel from channels: 5, 5, 5, 7)', () => {
    expect(moduleLayout(new EcaModule(256))).toEqual([['conv.weight', [1, 1, 5], 'param', 'float32']]);
    expect(moduleLayout(new EcaModule(2048))).toEqual([['conv.weight', [1, 1, 7], 'param', 'float32']]);
    expect([64, 256, 512, 1024, 2048].map((c) => ecaKernelSize(c))).toEqual([3, 5, 5, 5, 7]);
  });

  it('Attention = timm vit blocks.0.attn; Swin-style relative position bias adds table + index', () => {
    expect(moduleLayout(new Attention(64, { numHeads: 4, qkvBias: true }))).toEqual([
      ['qkv.weight', [192, 64], 'param', 'float32'],
      ['qkv.bias', [192], 'param', 'float32'],
      ['proj.weight', [64, 64], 'param', 'float32'],
      ['proj.bias', [64], 'param', 'float32'],
    ]);
    const swin = new Attention(96, { numHeads: 3, qkvBias: true, relativePositionWindow: [7, 7] });
    expect(moduleLayout(swin).slice(0, 2)).toEqual([
      ['relative_position_bias_table', [169, 3], 'param', 'float32'],
      ['qkv.weight', [288, 96], 'param', 'float32'],
    ]);
    const buffers = [...swin.namedBuffers()].map(([k, t]) => [k, t.dims, t.dtype]);
    expect(buffers).toEqual([['relative_position_index', [49, 49], 'int64']]);
  });

  it('helpers follow timm arithmetic', () => {
    expect(makeDivisible(16 / 16, 8, undefined, 0)).toBe(8);
    expect(makeDivisible(64 * 0.25, 8, undefined, 0)).toBe(16);
    expect(makeDivisible(32 * 0.75)).toBe(24);
    expect(makeDivisible(10)).toBe(16); // 8 < 0.9 · 10, so bumped
    expect(getPadding(3)).toBe(1);
    expect(getPadding(3, 2)).toBe(1);
    expect(getPadding(4, 2)).toBe(2);
    expect(getPadding(3, 1, 2)).toBe(2);
    expect(resolvePadding('', 3, 2)).toEqual([1, 1]);
    expect(resolvePadding('same', 3, 1)).toEqual([1, 1]);
    expect(resolvePadding('same', 3, 2)).toBe('same');
    expect(resolvePadding('valid', 3)).toBe(0);
  });
});

describe('block layouts against the layout files', () => {
  it('ConvNormAct: test_byobnet stem and regnety_016 s1.b1.conv1/conv2', () => {
    expect(moduleLayout(new ConvNormAct(3, 24, { kernelSize: 3, stride: 2 }))).toEqual(
      layoutUnder('test_byobnet', 'stem'),
    );
    expect(moduleLayout(new ConvNormAct(32, 48))).toEqual(layoutUnder('regnety_016', 's1.b1.conv1'));
    expect(moduleLayout(new ConvNormAct(48, 48, { kernelSize: 3, groups: 2 }))).toEqual(
      layoutUnder('regnety_016', 's1.b1.conv2'),
    );
  });

  it('SqueezeExcite: test_byobnet attn (rd 0.25) and regnety_016 se (explicit rd channels)', () => {
    expect(moduleLayout(new SqueezeExcite(16, { rdRatio: 0.25 }))).toEqual(
      layoutUnder('test_byobnet', 'stages.0.0.attn'),
    );
    expect(moduleLayout(new SqueezeExcite(64, { rdRatio: 0.25 }))).toEqual(
      layoutUnder('test_byobnet', 'stages.1.0.attn_last'),
    );
    expect(moduleLayout(new SqueezeExcite(48, { rdChannels: 8 }))).toEqual(
      layoutUnder('regnety_016', 's1.b1.se'),
    );
  });

  it('EcaModule: every se of ecaresnet50d', () => {
    const widths: Record<string, number> = { layer1: 256, layer2: 512, layer3: 1024, layer4: 2048 };
    const l = layout('ecaresnet50d').state_dict.filter(([k]) => k.includes('.se.'));
    expect(l.length).toBe(16);
    for (const [key, shape] of l) {
      const c = widths[key.split('.')[0]!]!;
      expect(moduleLayout(new EcaModule(c))).toEqual([['conv.weight', shape, 'param', 'float32']]);
    }
  });

  it('Mlp: test_vit blocks.0.mlp (linear) and convnext_atto stage-0 mlp (1×1 conv)', () => {
    expect(moduleLayout(new Mlp(64, { hiddenFeatures: 192 }))).toEqual(
      layoutUnder('test_vit', 'blocks.0.mlp'),
    );
    expect(moduleLayout(new Mlp(40, { hiddenFeatures: 160, useConv: true }))).toEqual(
      layoutUnder('convnext_atto', 'stages.0.blocks.0.mlp'),
    );
  });

  it('Attention: test_vit blocks.0.attn and swin layers.0.blocks.0.attn with its non-persistent index', () => {
    expect(moduleLayout(new Attention(64, { numHeads: 4, qkvBias: true }))).toEqual(
      layoutUnder('test_vit', 'blocks.0.attn'),
    );
    const swin = new Attention(96, { numHeads: 3, qkvBias: true, relativePositionWindow: [7, 7] });
    const ref = layout('swin_tiny_patch4_window7_224');
    expect(moduleLayout(swin)).toEqual(layoutUnder('swin_tiny_patch4_window7_224', 'layers.0.blocks.0.attn'));
    const np = ref.non_persistent_buffers.find(
      ([k]) => k === 'layers.0.blocks.0.attn.relative_position_index',
    )!;
    const idx = swin.relativePositionIndex!;
    expect([...idx.dims]).toEqual(np[1]);
    expect(idx.dtype).toBe(np[2]);
  });

  it('PatchEmbed: test_vit (no norm) and swin (LayerNorm)', () => {
    expect(moduleLayout(new PatchEmbed({ imgSize: 160, patchSize: 16, embedDim: 64 }))).toEqual(
      layoutUnder('test_vit', 'patch_embed'),
    );
    const swin = new PatchEmbed({ patchSize: 4, embedDim: 96, normLayer: (d) => new LayerNorm(d) });
    expect(moduleLayout(swin)).toEqual(layoutUnder('swin_tiny_patch4_window7_224', 'patch_embed'));
    expect(swin.numPatches).toBe(56 * 56);
  });

  it('LayerNorm2d: convnext_atto stages.1.downsample.0', () => {
    expect(moduleLayout(new LayerNorm2d(40))).toEqual(layoutUnder('convnext_atto', 'stages.1.downsample.0'));
  });

  it('LayerScale + DropPath inside a ViT block: test_vit2 blocks.0 (ls1/ls2 gamma, no drop_path keys)', () => {
    class Block extends Module<[SymbolicTensor], SymbolicTensor> {
      constructor(dim: number) {
        super();
        this.registerModule('norm1', new LayerNorm(dim, { eps: 1e-6 }));
        this.registerModule('attn', new Attention(dim, { numHeads: 4, qkvBias: true }));
        this.registerModule('ls1', new LayerScale(dim));
        this.registerModule('drop_path1', new DropPath(0.1));
        this.registerModule('norm2', new LayerNorm(dim, { eps: 1e-6 }));
        this.registerModule('mlp', new Mlp(dim, { hiddenFeatures: 3 * dim }));
        this.registerModule('ls2', new LayerScale(dim));
        this.registerModule('drop_path2', new DropPath(0.1));
      }
      forward(x: SymbolicTensor): SymbolicTensor {
        return x;
      }
    }
    expect(moduleLayout(new Block(64))).toEqual(layoutUnder('test_vit2', 'blocks.0'));
  });

  it('ClassifierHead: test_byobnet head and swin head (fc only; pooling has no state)', () => {
    expect(moduleLayout(new ClassifierHead(256, 1000))).toEqual(layoutUnder('test_byobnet', 'head'));
    expect(moduleLayout(new ClassifierHead(768, 1000))).toEqual(
      layoutUnder('swin_tiny_patch4_window7_224', 'head'),
    );
    expect(moduleLayout(new ClassifierHead(768, 0))).toEqual([]);
  });
});
