// The generic heads composed with a real registry backbone (ocular/test_resnet, features only)
// through core's ComposedTaskModel: they trace, give the same logits on the reference interpreter
// and onnxruntime-node, output the input size, and decode to a Segmentation of the source image.
import { plugin as cnnPlugin } from '@ocular/cnn';
import {
  ComposedTaskModel,
  createModel,
  type FeatureBackbone,
  type HeadFactory,
  InvalidArgumentError,
  Module,
  registry,
  type Segmentation,
  ShapeError,
  type SymbolicTensor,
  type TaskHead,
  Tensor,
  traceModule,
} from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asppHead,
  SEGMENTATION_HEAD_ENTRIES,
  SemanticFpnHead,
  segformerHead,
  semanticFpnHead,
  upernetHead,
} from '../src/segmentation/index.js';
import { maxAbs, maxAbsDiff, taskRunners } from './fixtures/golden.js';

beforeAll(() => {
  if (!registry.listPlugins().includes(cnnPlugin)) registry.use(cnnPlugin);
});

const runners = taskRunners();
const [H, W] = [48, 64];

/** A seeded input in [-1, 1). */
function input(): Tensor {
  const data = new Float32Array(3 * H * W);
  let s = 12345;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    data[i] = (s / 2 ** 31) * 2 - 1;
  }
  return Tensor.from('float32', data, [1, 3, H, W]);
}

const cases: [string, HeadFactory, Record<string, unknown>, Record<string, unknown>][] = [
  ['semantic FPN', semanticFpnHead, { channels: 16, groups: 4 }, {}],
  ['SegFormer', segformerHead, { channels: 16 }, {}],
  ['UPerNet', upernetHead, { channels: 16 }, {}],
  ['ASPP (output stride 8)', asppHead, { channels: 16, atrousRates: [6, 12, 18] }, { output_stride: 8 }],
];

describe.each(cases)('%s head on ocular/test_resnet', (_name, factory, config, kwargs) => {
  let graph: ReturnType<typeof traceModule>;
  let model: ComposedTaskModel<Segmentation>;

  beforeAll(async () => {
    const backbone = await createModel('ocular/test_resnet', {
      featuresOnly: true,
      outIndices: [1, 2, 3, 4],
      kwargs,
    });
    const head = (await factory({
      featureInfo: backbone.featureInfo,
      numClasses: 5,
      config: { ...config, labels: ['a', 'b', 'c', 'd', 'e'] },
    })) as TaskHead<Segmentation>;
    model = new ComposedTaskModel<Segmentation>({ backbone: backbone.module as FeatureBackbone, head });
    graph = traceModule(model, [{ name: 'input', dtype: 'float32', shape: [1, 3, H, W] }]);
  });

  it('traces to logits at the input size, with keys under backbone.* and head.*', () => {
    expect(model.task).toBe('segmentation');
    expect(graph.outputs.map((o) => [o.name, o.shape])).toEqual([['logits', [1, 5, H, W]]]);
    const keys = [...model.stateDict().keys()];
    expect(keys.every((k) => k.startsWith('backbone.') || k.startsWith('head.'))).toBe(true);
  });

  it('gives the same logits on the reference interpreter and onnxruntime-node, and decodes them', async () => {
    const x = input();
    const [[, ref], [, node]] = runners;
    const a = (await ref(graph, { input: x })).logits!;
    const b = (await node(graph, { input: x })).logits!;
    expect(maxAbs(a)).toBeGreaterThan(0);
    expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-4 * maxAbs(a));
    const seg = model.decode(
      { logits: a },
      {
        transform: {
          source: { width: W / 2, height: H / 2 },
          input: { width: W, height: H },
          scaleX: 2,
          scaleY: 2,
          offsetX: 0,
          offsetY: 0,
        },
      },
    );
    expect([seg.width, seg.height, seg.numClasses, seg.classMap.length]).toEqual([
      W / 2,
      H / 2,
      5,
      (W * H) / 4,
    ]);
    expect(seg.labels).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(seg.masks.reduce((n, m) => n + m.area, 0)).toBe((W * H) / 4);
  });
});

describe('segmentation head entries', () => {
  it('load the head factories by name', async () => {
    const featureInfo = [{ numChs: 8, reduction: 4, module: 'a' }];
    const names = [];
    for (const entry of SEGMENTATION_HEAD_ENTRIES) {
      const factory = (await entry.load()) as HeadFactory;
      const head = await factory({ featureInfo, numClasses: 3, config: { channels: 8, groups: 2 } });
      expect([entry.task, head.task, head.outputNames]).toEqual(['segmentation', 'segmentation', ['logits']]);
      names.push(entry.name);
    }
    expect(names).toEqual(['semantic_fpn', 'segformer', 'upernet', 'aspp']);
  });
});

describe('segmentation head options', () => {
  const info = [
    { numChs: 8, reduction: 4, module: 'a' },
    { numChs: 16, reduction: 12, module: 'b' },
  ];

  it('reject what they cannot build, naming it', () => {
    expect(() => semanticFpnHead({ featureInfo: info, config: { groups: 4, channels: 16 } })).toThrow(
      /stride 12/,
    );
    expect(() =>
      semanticFpnHead({ featureInfo: info.slice(0, 1), config: { groups: 5, channels: 16 } }),
    ).toThrow(InvalidArgumentError);
    expect(() => upernetHead({ featureInfo: info, config: { poolScales: [] } })).toThrow(/poolScales/);
    expect(() => segformerHead({ featureInfo: [] })).toThrow(/featureInfo/);
    expect(() => segformerHead({ featureInfo: info, numClasses: 3, config: { labels: ['x'] } })).toThrow(
      /labels/,
    );
  });

  it('check the number of maps they are fed', () => {
    const head = new SemanticFpnHead({
      featureInfo: info.slice(0, 1),
      numClasses: 2,
      config: { channels: 8, groups: 2 },
    });
    class TwoMaps extends Module<[SymbolicTensor], Record<string, SymbolicTensor>> {
      constructor() {
        super();
        this.registerModule('head', head);
      }
      forward(x: SymbolicTensor) {
        return head.call([x, x], x);
      }
    }
    expect(() => traceModule(new TwoMaps(), [{ name: 'x', dtype: 'float32', shape: [1, 8, 8, 8] }])).toThrow(
      /built for 1 feature maps, got 2/,
    );
    expect(() => traceModule(new TwoMaps(), [{ name: 'x', dtype: 'float32', shape: [1, 8, 8, 8] }])).toThrow(
      ShapeError,
    );
  });
});
