import { describe, expect, it } from 'vitest';
import { exportOpset, prepareGraphForOrt, Tensor, Tracer } from '../src/index.js';

function dilatedConv(autoPad: string, size: number, k: number, d: number, stride = 1) {
  const t = new Tracer('conv');
  t.run(() => {
    const x = t.input('x', 'float32', [1, 1, size, size]);
    const w = Tensor.zeros('float32', [1, 1, k, k]);
    const [y] = t.emit('Conv', [x, w], { auto_pad: autoPad, dilations: [d, d], strides: [stride, stride] });
    t.output('y', y!);
  });
  return t.graph;
}

describe('prepareGraphForOrt', () => {
  it('writes explicit pads for dilated SAME_* convolutions as ONNX defines them', () => {
    // size 8, kernel 2 dilated 3 (extent 4), stride 1: total pad 3, the odd one at the end (UPPER) or start (LOWER).
    const upper = prepareGraphForOrt(dilatedConv('SAME_UPPER', 8, 2, 3));
    expect(upper.graph.nodes[0]!.attrs.pads).toEqual([1, 1, 2, 2]);
    expect(upper.graph.nodes[0]!.attrs.auto_pad).toBeUndefined();
    const lower = prepareGraphForOrt(dilatedConv('SAME_LOWER', 8, 2, 3));
    expect(lower.graph.nodes[0]!.attrs.pads).toEqual([2, 2, 1, 1]);
    // size 7, kernel 2 dilated 2 (extent 3), stride 2: output 4, total pad 3*2 + 3 - 7 = 2.
    expect(prepareGraphForOrt(dilatedConv('SAME_UPPER', 7, 2, 2, 2)).graph.nodes[0]!.attrs.pads).toEqual([
      1, 1, 1, 1,
    ]);
  });

  it('leaves undilated convolutions and the original graph alone', () => {
    const g = dilatedConv('SAME_UPPER', 8, 3, 1);
    const p = prepareGraphForOrt(g);
    expect(p.graph.nodes[0]!.attrs.auto_pad).toBe('SAME_UPPER');
    const dilated = dilatedConv('SAME_UPPER', 8, 2, 3);
    prepareGraphForOrt(dilated);
    expect(dilated.nodes[0]!.attrs.auto_pad).toBe('SAME_UPPER');
    expect(dilated.nodes[0]!.attrs.pads).toBeUndefined();
  });

  it('keeps the opset of graphs whose ops need nothing newer (imported graphs keep their forms)', () => {
    const t = new Tracer('rm', 17);
    t.run(() => t.output('y', t.emit('ReduceMean', [t.input('x', 'float32', [2, 3])], { axes: [1] })[0]!));
    const p = prepareGraphForOrt(t.graph);
    expect(p.graph).toBe(t.graph);
    expect(p.rewrites).toEqual([]);
  });

  it('leaves the opset to the exporter', () => {
    const t = new Tracer('gn', 18);
    t.run(() => {
      const x = t.input('x', 'float32', [1, 4, 2, 2]);
      const s = Tensor.from('float32', [1, 1, 1, 1]);
      const b = Tensor.from('float32', [0, 0, 0, 0]);
      t.output('y', t.emit('GroupNormalization', [x, s, b], { num_groups: 2 })[0]!);
    });
    const p = prepareGraphForOrt(t.graph);
    expect(p.graph.opset).toBe(18);
    // GroupNormalization-21 normalises with per-channel scale and bias, as the IR does.
    expect(exportOpset(p.graph)).toBe(21);
  });
});
