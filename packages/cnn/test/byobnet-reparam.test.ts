import { interpret } from '@ocular/backend-reference';
import { type Module, reparameterizeModel, type SymbolicTensor, traceModule } from '@ocular/core';
import { describe, expect, it } from 'vitest';
import { BYOBNET_CONFIGS, ByobNet, MobileOneBlock, RepConvDeploy, RepVggBlock } from '../src/index.js';
import { input, randomizeState, relativeDiff } from './byobnet-helpers.js';
import { layout, moduleLayout } from './reference.js';

function run(module: Module<[SymbolicTensor], SymbolicTensor>, dims: number[]) {
  const graph = traceModule(module, [{ name: 'input', dtype: 'float32', shape: dims }]);
  return interpret(graph, { input: input(dims) }).output!;
}

describe.each(['repvgg_a0', 'mobileone_s0'] as const)('%s re-parameterised', (name) => {
  const ref = layout(name);
  const deploy = (ref as unknown as { reparameterized: { param_count: number; state_dict: unknown[] } })
    .reparameterized;

  it("has timm's deploy state dict and parameter count", () => {
    const model = reparameterizeModel(new ByobNet(BYOBNET_CONFIGS[name]));
    expect(moduleLayout(model)).toEqual(deploy.state_dict);
    expect(model.parameterCount()).toBe(deploy.param_count);
  });

  it('computes what the multi-branch model computes (relative 1e-4)', () => {
    const model = new ByobNet(BYOBNET_CONFIGS[name], { numClasses: 10 });
    randomizeState(model, 7);
    const before = run(model, [1, 3, 32, 32]);
    const fused = reparameterizeModel(model) as ByobNet;
    expect(fused).toBe(model);
    expect(model.getSubmodule('stages.1.0')).toBeInstanceOf(RepConvDeploy);
    const after = run(fused, [1, 3, 32, 32]);
    expect(relativeDiff(after, before)).toBeLessThanOrEqual(1e-4);
  });
});

describe('single blocks', () => {
  // Identity branch, grouped identity kernel, SE kept after the fused conv, several k×k branches.
  it.each([
    ['RepVGG, identity', () => new RepVggBlock(8, 8)],
    ['RepVGG, strided', () => new RepVggBlock(4, 8, { stride: 2 })],
    ['RepVGG, grouped', () => new RepVggBlock(8, 8, { groups: 2 })],
    ['MobileOne depthwise + SE', () => new MobileOneBlock(8, 8, { groups: 8, se: true, numConvBranches: 3 })],
    ['MobileOne pointwise', () => new MobileOneBlock(8, 8, { kernelSize: 1, numConvBranches: 2 })],
    ['MobileOne strided', () => new MobileOneBlock(8, 16, { stride: 2 })],
  ])('%s folds exactly', (_name, make) => {
    const block = make();
    randomizeState(block, 3);
    const c = block.geometry.inChannels;
    const before = run(block, [2, c, 9, 9]);
    const fused = reparameterizeModel(block);
    expect(fused).toBeInstanceOf(RepConvDeploy);
    const keys = [...fused.stateDict().keys()];
    expect(keys.slice(-2)).toEqual(['reparam_conv.weight', 'reparam_conv.bias']);
    expect(relativeDiff(run(fused as RepConvDeploy, [2, c, 9, 9]), before)).toBeLessThanOrEqual(1e-5);
  });

  it('a hand-checked 1-channel RepVGG block folds to the sum of its branches', () => {
    const block = new RepVggBlock(1, 1);
    // BN statistics at identity (mean 0, var 1 − eps, weight 1, bias 0) except the biases below.
    for (const bn of ['conv_kxk.bn', 'conv_1x1.bn', 'identity']) {
      (block.getSubmodule(bn).buffer('running_var')!.data as Float32Array)[0] = 1 - 1e-5;
    }
    (block.getSubmodule('conv_kxk.bn').parameter('bias')!.data as Float32Array)[0] = 0.5;
    (block.getSubmodule('identity').parameter('bias')!.data as Float32Array)[0] = -0.25;
    (block.getSubmodule('conv_kxk.conv').parameter('weight')!.data as Float32Array).set([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    (block.getSubmodule('conv_1x1.conv').parameter('weight')!.data as Float32Array)[0] = 10;
    const fused = block.reparameterize();
    // Centre: 5 (k×k) + 10 (1×1) + 1 (identity); bias 0.5 − 0.25.
    expect([...fused.reparamConv.weight.toFloat32()].map((v) => Math.round(v * 1e4) / 1e4)).toEqual([
      1, 2, 3, 4, 16, 6, 7, 8, 9,
    ]);
    expect(fused.reparamConv.bias!.toFloat32()[0]).toBeCloseTo(0.25, 6);
  });
});
