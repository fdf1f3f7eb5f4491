import { describe, expect, it } from 'vitest';
import * as F from '../src/functional.js';
import type { Graph } from '../src/ir/graph.js';
import { type SymbolicTensor, Tracer } from '../src/ir/trace.js';
import { Conv2d, ConvTranspose2d, Linear, Module, ReLU, traceModule } from '../src/nn/index.js';
import { evaluateDim, formatProfile, profileGraph } from '../src/profiler/index.js';
import { Tensor } from '../src/tensor.js';
import { ViT } from './blocks-vit.js';
import { layout, moduleLayout } from './nn-reference.js';

/** A small conv net whose counts are worked out by hand below. */
class Net extends Module<[SymbolicTensor], Record<string, SymbolicTensor>> {
  readonly stem = this.registerModule('stem', new Conv2d(3, 8, 3, { stride: 2, padding: 1 }));
  readonly act = this.registerModule('act', new ReLU());
  readonly dw = this.registerModule('dw', new Conv2d(8, 8, 3, { padding: 1, groups: 8, bias: false }));
  readonly pw = this.registerModule('pw', new Conv2d(8, 16, 1));
  readonly up = this.registerModule('up', new ConvTranspose2d(16, 4, 2, { stride: 2 }));
  readonly fc = this.registerModule('fc', new Linear(16, 10));
  forward(x: SymbolicTensor): Record<string, SymbolicTensor> {
    const p = this.pw.call(this.dw.call(this.act.call(this.stem.call(x))));
    const up = this.up.call(p);
    const logits = this.fc.call(F.flatten(F.globalAvgPool(p), 1));
    return { up, logits };
  }
}

// By hand, batch 1, input 3×32×32:
//   stem  Conv 3→8 k3 s2 p1: out 8×16×16 = 2048 elements × (3·9)        = 55,296 MACs; 8·27 + 8 = 224 params
//   dw    Conv 8→8 k3 g8:    out 2048 × (1·9)                            = 18,432 MACs; 72 params
//   pw    Conv 8→16 k1:      out 16×16×16 = 4096 × 8                     = 32,768 MACs; 128 + 16 = 144 params
//   up    ConvTranspose 16→4 k2 s2: in 4096 × (4·2·2)                    = 65,536 MACs; 16·4·4 + 4 = 260 params
//   fc    Gemm 1×16 · 16×10                                               =    160 MACs; 170 params
const MACS = 55_296 + 18_432 + 32_768 + 65_536 + 160;
const PARAMS = 224 + 72 + 144 + 260 + 170;
// float32 activations, in node order: stem 8192 B, relu 8192, dw 8192, pw 16384, up 16384,
// pool 64, flatten 64, gemm 40. Peak: at the pool node, pw (16384) + up (16384, a graph output)
// + pool (64) are live = 32,832 B; the input (12,288 B) was freed after the stem.
const ACTIVATIONS = 8192 * 3 + 16384 * 2 + 64 + 64 + 40;
const PEAK = 16384 + 16384 + 64;

describe('profileGraph on a hand-counted conv net', () => {
  const net = new Net();
  const traced = (batch: number | string): Graph =>
    traceModule(net, [{ name: 'x', dtype: 'float32', shape: [batch, 3, 32, 32] }]);

  it('counts MACs per node and in total', () => {
    const p = profileGraph(traced(1));
    expect(p.macs).toBe(MACS);
    const byScope = Object.fromEntries(p.nodes.filter((n) => n.macs).map((n) => [n.scope, n.macs]));
    expect(byScope).toEqual({ stem: 55_296, dw: 18_432, pw: 32_768, up: 65_536, fc: 160 });
    expect(p.macsByOp).toEqual({ Conv: 106_496, ConvTranspose: 65_536, Gemm: 160 });
    expect(p.macsBreakdown).toEqual({ conv: 172_032, mm: 160, bmm: 0 });
  });

  it('counts parameters per module', () => {
    const p = profileGraph(traced(1));
    expect(p.params).toBe(PARAMS);
    expect(p.paramBytes).toBe(PARAMS * 4);
    const mods = Object.fromEntries(p.modules.map((m) => [m.path, [m.params, m.macs]]));
    expect(mods).toEqual({
      '': [PARAMS, MACS],
      stem: [224, 55_296],
      act: [0, 0],
      dw: [72, 18_432],
      pw: [144, 32_768],
      up: [260, 65_536],
      fc: [170, 160],
    });
  });

  it('estimates activation memory: total and peak live', () => {
    const p = profileGraph(traced(1));
    expect(p.activationBytes).toBe(ACTIVATIONS);
    expect(p.peakActivationBytes).toBe(PEAK);
  });

  it('profiles a symbolic batch at 1, or at the batch asked for', () => {
    const g = traced('batch');
    const p1 = profileGraph(g);
    expect(p1.symbols).toEqual(['batch']);
    expect(p1.macs).toBe(MACS);
    expect(p1.activationBytes).toBe(ACTIVATIONS);
    const p3 = profileGraph(g, { batch: 3 });
    expect(p3.macs).toBe(3 * MACS);
    expect(p3.params).toBe(PARAMS);
  });

  it('formats a per-module and a per-node table', () => {
    const p = profileGraph(traced(1));
    const t = formatProfile(p);
    expect(t).toMatch(/^module\s+params\s+MACs/);
    expect(t).toMatch(/\n {2}up\s+260\s+65\.54K/);
    expect(t).toContain(`params 870 (870), MACs 172,192 (172.19K) at batch 1`);
    expect(formatProfile(p, { by: 'node' })).toMatch(/ConvTranspose\s+\[1,4,32,32\]\s+260\s+65\.54K/);
  });

  it('counts batched MatMul and Einsum as the reference counter does', () => {
    const t = new Tracer('mm');
    t.run(() => {
      const a = t.input('a', 'float32', [2, 3, 5, 7]);
      const b = t.input('b', 'float32', [2, 3, 7, 4]);
      t.output('y', F.matmul(a, b));
      t.output('z', F.einsum('bhqd,bhkd->bhqk', a, a));
    });
    const p = profileGraph(t.graph);
    expect(p.nodes.map((n) => n.macs)).toEqual([2 * 3 * 5 * 7 * 4, 2 * 3 * 5 * 7 * 5]);
    expect(p.macsBreakdown.bmm).toBe(840 + 1050);
  });

  it('evaluates symbolic dim expressions', () => {
    expect(evaluateDim('batch*4', () => 3)).toBe(12);
    expect(evaluateDim('floor((h-1)/2)+1', () => 224)).toBe(112);
    expect(evaluateDim('ceil(w/3)', () => 10)).toBe(4);
    expect(evaluateDim('n; drop', () => 1)).toBeUndefined();
  });

  it('falls back to float initializers as parameters for graphs not traced from a module', () => {
    const g = traced(1);
    const copy: Graph = { ...g, initializers: new Map(g.initializers) };
    copy.initializers.set('extra_int', Tensor.from('int64', [1, 2], [2]));
    const p = profileGraph(copy);
    expect(p.params).toBe(PARAMS);
    expect(p.otherInitializerElements).toBe(2);
  });
});

describe('profileGraph against timm test_vit (layouts/test_vit.json)', () => {
  it('matches the layout, param_count, and the MACs and their conv/mm/bmm split at 160×160', () => {
    const ref = layout('test_vit');
    const vit = new ViT({
      imgSize: 160,
      patchSize: 16,
      embedDim: 64,
      depth: 6,
      numHeads: 2,
      mlpRatio: 3,
      numClasses: 1000,
    });
    expect(moduleLayout(vit)).toEqual(ref.state_dict);
    // Traced with a symbolic batch: profiled at batch 1, the size the reference was counted at.
    const g = traceModule(vit, [
      { name: 'x', dtype: 'float32', shape: ['batch', ...ref.default_input_size] },
    ]);
    const p = profileGraph(g);
    expect(p.params).toBe(ref.param_count);
    expect(p.macs).toBe(ref.macs);
    expect(p.macsBreakdown).toEqual(ref.macs_breakdown);
    const block = p.modules.find((m) => m.path === 'blocks.3')!;
    // Per block: qkv 101·64·192 + proj 101·64·64 + fc1/fc2 2·101·64·192 + attention 2·101·101·64.
    expect(block.macs).toBe(101 * 64 * 192 + 101 * 64 * 64 + 2 * 101 * 64 * 192 + 2 * 101 * 101 * 64);
  });
});
