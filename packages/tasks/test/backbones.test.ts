import { type Module, traceModule } from '@ocular/core';
import { layout, moduleLayout } from '@ocular/vitest-config/reference-data';
import { describe, expect, it } from 'vitest';
import { TvMobileNetV3, TvMobileNetV3Backbone } from '../src/backbones/index.js';
import { loadGolden, maxAbs, maxAbsDiff, taskRunners } from './fixtures/golden.js';

type Entry = [string, number[], string, string];

/** Layout entries under `prefix`, with the prefix removed. */
function under(model: string, prefix: string): Entry[] {
  return (layout(model).state_dict as Entry[])
    .filter(([k]) => k.startsWith(prefix))
    .map(([k, ...rest]) => [k.slice(prefix.length), ...rest] as Entry);
}

describe('torchvision MobileNetV3 layouts', () => {
  it('the SSDLite backbone features (reduced tail) split at C4 as torchvision does', () => {
    const net = new TvMobileNetV3({ reducedTail: true, featuresOnly: true });
    // SSDLite's extractor: features.0 = features[:13] + features[13].block[0];
    // features.1 = (features[13].block[1:], *features[14:]).
    const c4 = 13;
    const renamed = (moduleLayout(net) as Entry[]).map(([k, ...rest]) => {
      const m = /^features\.(\d+)\.(.*)$/.exec(k)!;
      const i = Number(m[1]);
      let key: string;
      if (i < c4) key = `0.${i}.${m[2]}`;
      else if (i > c4) key = `1.${i - c4}.${m[2]}`;
      else if (m[2]!.startsWith('block.0.')) key = `0.${c4}.${m[2]!.slice('block.0.'.length)}`;
      else key = `1.0.${m[2]!.slice('block.'.length)}`;
      return [key, ...rest] as Entry;
    });
    const expected = under('ssdlite320_mobilenet_v3_large', 'backbone.features.');
    // torchvision's order puts features.0.13 (the C4 expansion) before features.1.0.
    const order = (e: Entry[]) => [...e].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    expect(order(renamed)).toEqual(order(expected));
    expect(renamed.length).toBe(expected.length);
  });

  it.each([
    ['lraspp_mobilenet_v3_large', [4, 16]],
    ['deeplabv3_mobilenet_v3_large', [4, 16]],
  ])(
    '%s backbone (dilated, IntermediateLayerGetter keys backbone.<i>) matches exactly',
    (model, returnIndices) => {
      const backbone = new TvMobileNetV3Backbone({ dilated: true, returnIndices });
      expect(moduleLayout(backbone)).toEqual(under(model, 'backbone.'));
      expect(backbone.featureInfo).toEqual([
        { numChs: 40, reduction: 8, module: '4' },
        { numChs: 960, reduction: 16, module: '16' },
      ]);
    },
  );

  it('reports the stride and channels of every features entry', () => {
    const net = new TvMobileNetV3({ arch: 'mobilenet_v3_small' });
    expect(net.allFeatureInfo.map((f) => f.reduction)).toEqual([
      2, 4, 8, 8, 16, 16, 16, 16, 16, 32, 32, 32, 32,
    ]);
    expect(net.allFeatureInfo.at(-1)).toEqual({ numChs: 576, reduction: 32, module: 'features.12' });
    // torchvision's mobilenet_v3_small has 2,542,856 parameters; large 5,483,032.
    expect(net.parameterCount()).toBe(2_542_856);
    expect(new TvMobileNetV3().parameterCount()).toBe(5_483_032);
  });
});

describe.each([
  ['det_mobilenet_v3_large', 48],
  ['det_mobilenet_v3_small', 32],
])('golden %s (torchvision, seeded weights)', (name, size) => {
  const golden = loadGolden(name);
  const kwargs = golden.sidecar.kwargs as Record<string, unknown>;
  const indices = golden.sidecar.feature_indices as number[];
  const options = {
    arch: (name === 'det_mobilenet_v3_large' ? 'mobilenet_v3_large' : 'mobilenet_v3_small') as
      | 'mobilenet_v3_large'
      | 'mobilenet_v3_small',
    widthMult: kwargs.width_mult as number,
    reducedTail: kwargs.reduced_tail as boolean | undefined,
    dilated: kwargs.dilated as boolean | undefined,
  };
  const classifier = new TvMobileNetV3({ ...options, numClasses: 10 });
  const report = classifier.loadStateDict(golden.weights(), { strict: true });
  const features = new TvMobileNetV3({ ...options, featuresOnly: true, outIndices: indices });
  features.loadStateDict(golden.weights(), { strict: false });
  const shape = ['batch', 3, size, size] as const;
  const graphs = [
    traceModule(classifier as Module, [{ name: 'input', dtype: 'float32', shape: [...shape] }]),
    traceModule(features as Module, [{ name: 'input', dtype: 'float32', shape: [...shape] }]),
  ];

  it('loads strictly', () => {
    expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
  });

  it.each(taskRunners())(
    'logits and features match on %s (max abs diff ≤ 1e-4 · spread)',
    async (_n, run) => {
      const input = golden.io('input');
      const logits = (await run(graphs[0]!, { input })).output!;
      const ref = golden.io('logits');
      expect(maxAbsDiff(logits, ref)).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(ref)));
      const out = await run(graphs[1]!, { input });
      indices.forEach((i, j) => {
        const r = golden.io(`features.${i}`);
        expect(maxAbsDiff(out[`output${j}`]!, r), `features.${i}`).toBeLessThanOrEqual(
          1e-4 * Math.max(1, maxAbs(r)),
        );
      });
    },
  );
});
