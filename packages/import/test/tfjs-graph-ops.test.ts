// Small hand-made GraphDefs per op group, imported and run on the reference interpreter and
// onnxruntime-node, checked against TF.js (cpu backend) running the same GraphModel, and some
// against hand-computed values. Most graphs start with a convolution so the op under test sees a
// value stored in NCHW, which exercises the layout tracking.
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { Tensor } from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { importTfjsGraphModel } from '../src/index.js';
import { A, GraphDefBuilder } from './tfjs-graph-fixtures.js';
import { maxAbsDiff, randomTensor, runTfjsGraph } from './tfjs-graph-oracle.js';

const TOL = 1e-5;

beforeAll(async () => {
  await nodeBackend.init();
});

/** Imports `g`, runs it on reference and node, and returns both plus TF.js's outputs. */
async function runAll(g: GraphDefBuilder, feeds: Record<string, Tensor>, outputs: string[]) {
  const { json, shard } = g.build();
  const imp = importTfjsGraphModel(json, [shard], { outputs });
  const reference = interpret(imp.graph, feeds);
  const session = await nodeBackend.compile(imp.graph);
  const node = await session.run(feeds);
  await session.dispose();
  const tfjs = await runTfjsGraph(json, [shard], feeds, outputs);
  return { imp, reference, node, tfjs };
}

/** Checks every output against TF.js on both backends (shape and values). */
async function expectMatchesTfjs(
  g: GraphDefBuilder,
  feeds: Record<string, Tensor>,
  outputs: string[],
  tol = TOL,
) {
  const r = await runAll(g, feeds, outputs);
  for (const o of outputs) {
    const want = r.tfjs[o]!;
    for (const [backend, got] of [
      ['reference', r.reference[o]!],
      ['node', r.node[o]!],
    ] as const) {
      expect([backend, o, [...got.dims]]).toEqual([backend, o, [...want.dims]]);
      expect([backend, o, maxAbsDiff(got, want)]).toEqual([backend, o, expect.any(Number)]);
      expect(maxAbsDiff(got, want), `${backend} ${o}`).toBeLessThanOrEqual(tol);
    }
  }
  return r;
}

const X_SHAPE = [1, 8, 9, 3];
const x = randomTensor(X_SHAPE, 5, -1, 1);

/** Input → 1×1 conv to 4 channels (stored NCHW afterwards). */
function withConv(): { g: GraphDefBuilder; y: string } {
  const g = new GraphDefBuilder();
  g.placeholder('x', X_SHAPE);
  const y = g.conv('c0', 'x', g.random('w0', [1, 1, 3, 4]));
  return { g, y };
}

describe('convolutions', () => {
  it('Conv2D: SAME stride 2, dilated SAME, VALID and EXPLICIT padding', async () => {
    const g = new GraphDefBuilder();
    g.placeholder('x', X_SHAPE);
    const w = g.random('w', [3, 3, 3, 5]);
    g.conv('same', 'x', w, { strides: 2 });
    g.conv('dilated', 'x', w, { dilation: 2 });
    g.conv('valid', 'x', w, { padding: 'VALID', strides: 2 });
    g.op('explicit', 'Conv2D', ['x', w], {
      strides: A.ints([1, 1, 2, 1]),
      padding: A.s('EXPLICIT'),
      explicit_paddings: A.ints([0, 0, 1, 2, 2, 0, 0, 0]),
      data_format: A.s('NHWC'),
      dilations: A.ints([1, 1, 1, 1]),
    });
    await expectMatchesTfjs(g, { x }, ['same', 'dilated', 'valid', 'explicit']);
  });

  it('Conv2D with fewer filter in-channels than input channels is a grouped conv', async () => {
    // TF.js rejects grouped convs, so the oracle is TF.js on each channel group, concatenated.
    const g = new GraphDefBuilder();
    g.placeholder('x', [1, 5, 5, 4]);
    const w = g.random('w', [3, 3, 2, 6]);
    g.conv('grouped', 'x', w);
    const input = randomTensor([1, 5, 5, 4], 9);
    const { json, shard } = g.build();
    const imp = importTfjsGraphModel(json, [shard], { outputs: ['grouped'] });
    expect(imp.graph.nodes.find((n) => n.opType === 'Conv')?.attrs.group).toBe(2);
    const got = interpret(imp.graph, { x: input }).grouped!;
    // Oracle graphs: one per group, each a plain conv on 2 channels with 3 of the 6 filters.
    const all = new Float32Array(shard.buffer.slice(0));
    const expected: Tensor[] = [];
    for (let grp = 0; grp < 2; grp++) {
      const h = new GraphDefBuilder();
      h.placeholder('x', [1, 5, 5, 2]);
      const sub: number[] = [];
      for (let i = 0; i < all.length; i++) {
        const o = i % 6;
        if (Math.floor(o / 3) === grp) sub.push(all[i]!);
      }
      h.conv('y', 'x', h.const('w', sub, [3, 3, 2, 3]));
      const part = Tensor.zeros('float32', [1, 5, 5, 2]);
      for (let p = 0; p < 25; p++)
        for (let c = 0; c < 2; c++) part.data[p * 2 + c] = input.data[p * 4 + grp * 2 + c]!;
      const built = h.build();
      expected.push((await runTfjsGraph(built.json, [built.shard], { x: part }, ['y'])).y!);
    }
    const want = Tensor.zeros('float32', [1, 5, 5, 6]);
    for (let p = 0; p < 25; p++)
      for (let o = 0; o < 6; o++)
        want.data[p * 6 + o] = expected[Math.floor(o / 3)]!.toFloat32()[p * 3 + (o % 3)]!;
    expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(TOL);
  });

  it('DepthwiseConv2dNative with channel multiplier 2, and the fused forms with every activation', async () => {
    const { g, y } = withConv();
    const dw = g.random('dw', [3, 3, 4, 2]);
    g.op('depthwise', 'DepthwiseConv2dNative', [y, dw], {
      strides: A.ints([1, 2, 2, 1]),
      padding: A.s('SAME'),
      data_format: A.s('NHWC'),
      dilations: A.ints([1, 1, 1, 1]),
    });
    const w = g.random('w', [3, 3, 4, 6]);
    const bias = g.random('b6', [6]);
    const alpha = g.random('alpha', [6], 0, 0.5);
    const fused = (name: string, act: string, extra: string[] = []) =>
      g.op(name, '_FusedConv2D', [y, w, bias, ...extra], {
        strides: A.ints([1, 1, 1, 1]),
        padding: A.s('SAME'),
        data_format: A.s('NHWC'),
        dilations: A.ints([1, 1, 1, 1]),
        fused_ops: A.strs(act ? ['BiasAdd', act] : ['BiasAdd']),
        num_args: A.i(1 + extra.length),
        leakyrelu_alpha: A.f(0.3),
      });
    const names = [
      fused('fused_bias', ''),
      fused('relu', 'Relu'),
      fused('relu6', 'Relu6'),
      fused('leaky', 'LeakyRelu'),
      fused('elu', 'Elu'),
      fused('sigmoid', 'Sigmoid'),
      fused('prelu', 'Prelu', [alpha]),
    ];
    g.op('fdw', 'FusedDepthwiseConv2dNative', [y, dw, g.random('dwb', [8])], {
      strides: A.ints([1, 1, 1, 1]),
      padding: A.s('VALID'),
      data_format: A.s('NHWC'),
      dilations: A.ints([1, 1, 1, 1]),
      fused_ops: A.strs(['BiasAdd', 'Relu6']),
      num_args: A.i(1),
    });
    await expectMatchesTfjs(g, { x }, ['depthwise', ...names, 'fdw']);
  });

  it('Conv2DBackpropInput: SAME stride 2 to an odd size, and VALID', async () => {
    const { g, y } = withConv();
    const f = g.random('f', [3, 3, 2, 4]);
    g.op('up_same', 'Conv2DBackpropInput', [g.const('s1', [1, 15, 17, 2], [4], 'int32'), f, y], {
      strides: A.ints([1, 2, 2, 1]),
      padding: A.s('SAME'),
      data_format: A.s('NHWC'),
      dilations: A.ints([1, 1, 1, 1]),
    });
    g.op('up_valid', 'Conv2DBackpropInput', [g.const('s2', [1, 18, 19, 2], [4], 'int32'), f, y], {
      strides: A.ints([1, 2, 2, 1]),
      padding: A.s('VALID'),
      data_format: A.s('NHWC'),
      dilations: A.ints([1, 1, 1, 1]),
    });
    await expectMatchesTfjs(g, { x }, ['up_same', 'up_valid']);
  });
});

describe('matrix products', () => {
  it('MatMul with transpose_a / transpose_b, _FusedMatMul and BiasAdd', async () => {
    const g = new GraphDefBuilder();
    g.placeholder('a', [3, 5]);
    g.op('mm', 'MatMul', ['a', g.random('b', [5, 4])], { transpose_a: A.b(false), transpose_b: A.b(false) });
    g.op('mm_tb', 'MatMul', ['a', g.random('bt', [4, 5])], {
      transpose_a: A.b(false),
      transpose_b: A.b(true),
    });
    g.op('mm_ta', 'MatMul', [g.random('at', [3, 2]), 'a'], {
      transpose_a: A.b(true),
      transpose_b: A.b(false),
    });
    g.op('fmm', '_FusedMatMul', ['a', 'b', g.random('bias', [4])], {
      transpose_a: A.b(false),
      transpose_b: A.b(false),
      fused_ops: A.strs(['BiasAdd', 'Relu']),
      num_args: A.i(1),
    });
    g.op('badd', 'BiasAdd', ['mm', 'bias'], { data_format: A.s('NHWC') });
    await expectMatchesTfjs(g, { a: randomTensor([3, 5], 3, -1, 1) }, [
      'mm',
      'mm_tb',
      'mm_ta',
      'fmm',
      'badd',
    ]);
  });
});

describe('elementwise', () => {
  it('arithmetic and activations on an NCHW-stored value with constants of every rank', async () => {
    const { g, y } = withConv();
    const c = g.random('c', [4]);
    const s = g.const('s', [0.5], []);
    const full = g.random('full', [1, 8, 9, 4]);
    const add = g.op('add', 'Add', [y, c]);
    const sub = g.op('sub', 'Sub', [s, add]);
    const mul = g.op('mul', 'Mul', [sub, full]);
    const div = g.op('div', 'RealDiv', [mul, g.random('d', [1, 1, 4], 1, 2)]);
    g.op('addn', 'AddN', [div, y, add], { N: A.i(3) });
    g.op('max', 'Maximum', [y, c]);
    g.op('relu6', 'Relu6', [g.op('scaled', 'Mul', [y, g.const('k', [8], [])])]);
    g.op('leaky', 'LeakyRelu', [y], { alpha: A.f(0.25) });
    g.op('sigmoid', 'Sigmoid', [y]);
    g.op('tanh', 'Tanh', [y]);
    g.op('elu', 'Elu', [y]);
    g.op('square', 'Square', [y]);
    g.op('rsqrt', 'Rsqrt', [g.op('absp', 'Add', [g.op('abs', 'Abs', [y]), g.const('one', [1], [])])]);
    g.op('bias', 'BiasAdd', [y, c], { data_format: A.s('NHWC') });
    await expectMatchesTfjs(g, { x }, [
      'addn',
      'max',
      'relu6',
      'leaky',
      'sigmoid',
      'tanh',
      'elu',
      'square',
      'rsqrt',
      'bias',
    ]);
  });

  it('integer FloorDiv / FloorMod round toward -inf (hand-computed), Equal and Cast', async () => {
    const g = new GraphDefBuilder();
    g.placeholder('i', [6], 'DT_INT32');
    const dv = g.const('dv', [4, -4, 4, -4, 3, 3], [6], 'int32');
    const intAttr = { T: A.type('DT_INT32') };
    g.op('fdiv', 'FloorDiv', ['i', dv], intAttr);
    g.op('fmod', 'FloorMod', ['i', dv], intAttr);
    g.op('eq', 'Equal', ['i', g.const('three', [3], [], 'int32')], intAttr);
    g.op('cast', 'Cast', ['eq'], { SrcT: A.type('DT_BOOL'), DstT: A.type('DT_FLOAT') });
    const input = Tensor.from('int32', [7, 7, -7, -7, 3, 0]);
    const r = await runAll(g, { i: input }, ['fdiv', 'fmod', 'cast']);
    // floor(7/4)=1, floor(7/-4)=-2, floor(-7/4)=-2, floor(-7/-4)=1, 1, 0; mod takes the divisor's sign.
    for (const out of [r.reference, r.node, r.tfjs]) {
      expect(out.fdiv!.toNumbers()).toEqual([1, -2, -2, 1, 1, 0]);
      expect(out.fmod!.toNumbers()).toEqual([3, -1, 1, -3, 0, 0]);
      expect(out.cast!.toNumbers()).toEqual([0, 0, 0, 0, 1, 0]);
    }
    expect(r.reference.fdiv!.dtype).toBe('int32');
  });
});

describe('softmax, batch norm and clipping', () => {
  it('Softmax / LogSoftmax over channels, FusedBatchNormV3, ClipByValue', async () => {
    const { g, y } = withConv();
    g.op('softmax', 'Softmax', [y]);
    g.op('logsoftmax', 'LogSoftmax', [y]);
    const stats = ['scale', 'offset', 'mean'].map((n) => g.random(n, [4]));
    g.op('bn', 'FusedBatchNormV3', [y, ...stats, g.random('var', [4], 0.5, 2)], {
      epsilon: A.f(0.001),
      data_format: A.s('NHWC'),
      is_training: A.b(false),
    });
    g.op('clip', 'ClipByValue', [y, g.const('lo', [-0.2], []), g.const('hi', [0.3], [])]);
    // (TF.js reads only the first element of tensor bounds, so per-channel bounds have no oracle.)
    await expectMatchesTfjs(g, { x }, ['softmax', 'logsoftmax', 'bn', 'clip']);
  });
});

describe('pools, reductions and resizing', () => {
  it('AvgPool / MaxPool SAME and VALID, Mean with and without keep_dims, Max over channels', async () => {
    const { g, y } = withConv();
    const pool = (name: string, op: string, padding: string) =>
      g.op(name, op, [y], {
        ksize: A.ints([1, 3, 3, 1]),
        strides: A.ints([1, 2, 2, 1]),
        padding: A.s(padding),
        data_format: A.s('NHWC'),
      });
    pool('avg_same', 'AvgPool', 'SAME');
    pool('avg_valid', 'AvgPool', 'VALID');
    pool('max_same', 'MaxPool', 'SAME');
    const axes = g.const('axes', [1, 2], [2], 'int32');
    g.op('mean_keep', 'Mean', [y, axes], { keep_dims: A.b(true), Tidx: A.type('DT_INT32') });
    g.op('mean', 'Mean', [y, axes], { keep_dims: A.b(false), Tidx: A.type('DT_INT32') });
    g.op('max_c', 'Max', [y, g.const('c_axis', [-1], [1], 'int32')], { keep_dims: A.b(false) });
    await expectMatchesTfjs(g, { x }, ['avg_same', 'avg_valid', 'max_same', 'mean_keep', 'mean', 'max_c']);
  });

  it('ResizeBilinear and ResizeNearestNeighbor in every coordinate mode', async () => {
    const { g, y } = withConv();
    const size = g.const('size', [11, 13], [2], 'int32');
    const down = g.const('down', [4, 5], [2], 'int32');
    const modes: [string, boolean, boolean][] = [
      ['align', true, false],
      ['half', false, true],
      ['asym', false, false],
    ];
    const names: string[] = [];
    for (const [m, ac, hp] of modes) {
      for (const [op, tag] of [
        ['ResizeBilinear', 'bl'],
        ['ResizeNearestNeighbor', 'nn'],
      ] as const) {
        for (const [sz, dir] of [
          [size, 'up'],
          [down, 'down'],
        ] as const) {
          names.push(
            g.op(`${tag}_${m}_${dir}`, op, [y, sz], { align_corners: A.b(ac), half_pixel_centers: A.b(hp) }),
          );
        }
      }
    }
    await expectMatchesTfjs(g, { x }, names);
  });
});

describe('shape and data movement', () => {
  it('Pad / PadV2, ConcatV2, Split / SplitV, Transpose then Reshape, Squeeze / ExpandDims', async () => {
    const { g, y } = withConv();
    g.op('pad', 'Pad', [y, g.const('p', [0, 0, 1, 2, 0, 1, 0, 0], [4, 2], 'int32')]);
    g.op('padv2', 'PadV2', [
      y,
      g.const('p2', [0, 0, 2, 0, 1, 1, 1, 0], [4, 2], 'int32'),
      g.const('cv', [0.5], []),
    ]);
    g.op('concat', 'ConcatV2', [y, 'x', g.const('ax', [-1], [], 'int32')], { N: A.i(2) });
    g.op('split', 'Split', [g.const('sd', [3], [], 'int32'), y], { num_split: A.i(2) });
    g.op('splitv', 'SplitV', [y, g.const('ss', [1, -1], [2], 'int32'), g.const('sd2', [2], [], 'int32')], {
      num_split: A.i(2),
    });
    const t = g.op('tr', 'Transpose', [y, g.const('perm', [0, 3, 1, 2], [4], 'int32')]);
    g.op('flat', 'Reshape', [t, g.const('shape', [1, -1], [2], 'int32')]);
    g.op('flat_nhwc', 'Reshape', [y, g.const('shape2', [-1, 4], [2], 'int32')]);
    const m = g.op('m', 'Mean', [y, g.const('axes', [1, 2], [2], 'int32')], { keep_dims: A.b(true) });
    g.op('sq', 'Squeeze', [m], { squeeze_dims: A.ints([1, 2]) });
    g.op('ed', 'ExpandDims', [y, g.const('edim', [2], [], 'int32')]);
    await expectMatchesTfjs(g, { x }, [
      'pad',
      'padv2',
      'concat',
      'split',
      'split:1',
      'splitv',
      'splitv:1',
      'flat',
      'flat_nhwc',
      'sq',
      'ed',
    ]);
  });

  it('StridedSlice with begin/end/ellipsis/new_axis/shrink masks and negative strides', async () => {
    const { g, y } = withConv();
    const ints = (name: string, v: number[]) => g.const(name, v, [v.length], 'int32');
    const ss = (name: string, b: number[], e: number[], s: number[], masks: Record<string, number>) =>
      g.op(name, 'StridedSlice', [y, ints(`${name}_b`, b), ints(`${name}_e`, e), ints(`${name}_s`, s)], {
        Index: A.type('DT_INT32'),
        begin_mask: A.i(masks.begin ?? 0),
        end_mask: A.i(masks.end ?? 0),
        ellipsis_mask: A.i(masks.ellipsis ?? 0),
        new_axis_mask: A.i(masks.newAxis ?? 0),
        shrink_axis_mask: A.i(masks.shrink ?? 0),
      });
    const names = [
      ss('rows', [0, 1, 0, 0], [0, 6, 0, 0], [1, 2, 1, 1], { begin: 0b1101, end: 0b1101 }),
      ss('chan', [0, 1], [0, 2], [1, 1], { ellipsis: 1, shrink: 2 }),
      ss('newaxis', [0, 0], [0, 0], [1, 1], { ellipsis: 1, newAxis: 2 }),
      ss('reverse', [0, 0, 0, 0], [0, 0, 0, 0], [1, -1, 1, -2], { begin: 0b1111, end: 0b1111 }),
      ss('neg', [0, -3, 2, 1], [1, -1, -1, 3], [1, 1, 1, 1], {}),
      ss('shrink0', [0], [1], [1], { shrink: 1 }),
    ];
    await expectMatchesTfjs(g, { x }, names);
  });

  it('TopKV2 values and int32 indices, GatherV2 with those indices', async () => {
    const { g, y } = withConv();
    const flat = g.op('flat', 'Reshape', [y, g.const('shape', [1, -1], [2], 'int32')]);
    g.op('top', 'TopKV2', [flat, g.const('k', [5], [], 'int32')], { sorted: A.b(true) });
    g.op(
      'gather',
      'GatherV2',
      [y, g.const('idx', [3, 0, 3], [3], 'int32'), g.const('gax', [-1], [], 'int32')],
      {
        batch_dims: A.i(0),
      },
    );
    const r = await expectMatchesTfjs(g, { x }, ['top', 'top:1', 'gather']);
    expect(r.reference['top:1']!.dtype).toBe('int32');
  });
});
