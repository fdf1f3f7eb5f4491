// ResNet's `outputStride` (timm's `output_stride`): later stages dilate instead of striding.
// Checked against timm's own ResNet (tooling/goldens/tasks_segmentation.py wrote the fixture):
// its feature info, and the stage outputs of one seeded input on the reference interpreter and
// onnxruntime-node at 1e-4.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeBackend } from '@ocular/backend-node';
import { interpret } from '@ocular/backend-reference';
import { createModel, InvalidArgumentError, readSafetensors, registry, type Tensor } from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin, RESNET_CONFIGS, ResNet } from '../src/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const sidecar = JSON.parse(readFileSync(join(FIXTURES, 'resnet_output_stride.json'), 'utf8'));
const file = readSafetensors(
  new Uint8Array(readFileSync(join(FIXTURES, 'resnet_output_stride.safetensors'))),
);

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect(a.dims).toEqual(b.dims);
  const x = a.toFloat32();
  const y = b.toFloat32();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

beforeAll(async () => {
  if (!registry.listPlugins().includes(plugin)) registry.use(plugin);
  await nodeBackend.init();
});

describe.each(['os8', 'os16'])('ResNet with timm output_stride (%s)', (name) => {
  const spec = sidecar.models[name];
  const stride = spec.kwargs.output_stride as 8 | 16;
  const input = file.get('io.input');
  const weights = new Map(
    [...file.keys()]
      .filter((k) => k.startsWith(`${name}.`))
      .map((k) => [k.slice(name.length + 1), file.get(k)]),
  );

  it("reports timm's feature info and loads timm's weights strictly", async () => {
    const model = await createModel(`ocular/${spec.ocular.arch}`, {
      featuresOnly: true,
      outIndices: [1, 2, 3, 4],
      kwargs: { ...spec.ocular.kwargs, output_stride: stride },
    });
    expect(model.featureInfo.map((f) => [f.numChs, f.reduction, f.module])).toEqual(
      spec.feature_info
        .slice(1)
        .map((f: { num_chs: number; reduction: number; module: string }) => [
          f.num_chs,
          f.reduction,
          f.module,
        ]),
    );
    const report = model.module.loadStateDict(weights, { strict: true });
    expect([report.missing, report.unexpected, report.mismatched]).toEqual([[], [], []]);
    const [, , h, w] = input.dims as number[];
    const graph = model.trace({ batch: 1, inputSize: [h!, w!] });
    const session = await nodeBackend.compile(graph);
    const runs = [interpret(graph, { input }), await session.run({ input })];
    await session.dispose();
    for (const out of runs) {
      spec.stage_shapes.forEach((shape: number[], j: number) => {
        expect(out[`output${j}`]!.dims).toEqual(shape);
        expect(
          maxAbsDiff(out[`output${j}`]!, file.get(`io.${name}.stage${j + 1}`)),
          `stage ${j + 1}`,
        ).toBeLessThanOrEqual(1e-4);
      });
    }
  });
});

describe('ResNet outputStride', () => {
  it('dilates the 3×3 convs as timm: the first block of a dilated stage keeps the previous dilation', () => {
    const net = new ResNet(RESNET_CONFIGS.resnet50, { numClasses: 0, outputStride: 8 });
    const conv = (path: string) => {
      const o = (
        net.getSubmodule(path) as unknown as {
          options: { dilation?: number; stride?: number; padding?: number };
        }
      ).options;
      return [o.stride ?? 1, o.dilation ?? 1, o.padding ?? 0];
    };
    // [stride, dilation, padding] of the strided-position 3×3 convs and the shortcut.
    expect(conv('layer2.0.conv2')).toEqual([2, 1, 1]);
    expect([conv('layer3.0.conv2'), conv('layer3.1.conv2'), conv('layer3.5.conv2')]).toEqual([
      [1, 1, 1],
      [1, 2, 2],
      [1, 2, 2],
    ]);
    expect([conv('layer4.0.conv2'), conv('layer4.2.conv2'), conv('layer4.0.downsample.0')]).toEqual([
      [1, 2, 2],
      [1, 4, 4],
      [1, 1, 0],
    ]);
    expect(net.featureInfo.map((f) => f.reduction)).toEqual([2, 4, 8, 8, 8]);
  });

  it('rejects strides other than 8, 16 and 32', () => {
    expect(() => new ResNet(RESNET_CONFIGS.resnet18, { outputStride: 4 as never })).toThrow(
      InvalidArgumentError,
    );
  });
});
