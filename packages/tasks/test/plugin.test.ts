// The plugin's registry entries: metadata without loading code, and entries that build the
// network their metadata describes.

import { plugin as cnnPlugin } from '@ocular/cnn';
import {
  createModel,
  getHead,
  getModelInfo,
  isTaskModule,
  listHeads,
  listModels,
  registry,
} from '@ocular/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { plugin, SR_ENTRIES, TORCHVISION_TASK_ENTRIES } from '../src/index.js';

beforeAll(() => {
  registry.use(cnnPlugin);
  registry.use(plugin);
});

describe('tasks plugin', () => {
  it('lists task networks by family with their task, labels and pre-processing hints', () => {
    expect(listModels({ family: 'detection' })).toEqual([
      'ocular/fcos_resnet50_fpn',
      'ocular/retinanet_resnet50_fpn',
      'ocular/ssdlite320_mobilenet_v3_large',
    ]);
    expect(listModels({ family: 'segmentation' })).toEqual([
      'ocular/deeplabv3_mobilenet_v3_large',
      'ocular/fcn_resnet50',
      'ocular/lraspp_mobilenet_v3_large',
    ]);
    const ssd = getModelInfo('ssdlite320_mobilenet_v3_large');
    expect(ssd).toMatchObject({ task: 'detection', numClasses: 91, preprocess: { resize: 'stretch' } });
    expect(ssd.labels?.[1]).toBe('person');
    expect(getModelInfo('lraspp_mobilenet_v3_large').labels?.[15]).toBe('person');
    expect(getModelInfo('espcn_x3')).toMatchObject({ task: 'super-resolution', family: 'super-resolution' });
  });

  it('registers the neck and the heads by task', () => {
    expect(listHeads('neck')).toEqual(['ocular/fpn']);
    expect(listHeads('detection')).toEqual(['ocular/yolov8']);
    expect(listHeads('segmentation').sort()).toEqual([
      'ocular/aspp',
      'ocular/segformer',
      'ocular/semantic_fpn',
      'ocular/upernet',
    ]);
    expect(getHead('fpn').task).toBe('neck');
  });

  it('builds the light torchvision networks with the parameter count their entries list', async () => {
    for (const name of [
      'ssdlite320_mobilenet_v3_large',
      'lraspp_mobilenet_v3_large',
      'deeplabv3_mobilenet_v3_large',
    ]) {
      const entry = TORCHVISION_TASK_ENTRIES.find((e) => e.name === name)!;
      const m = await createModel(`ocular/${name}`);
      expect(isTaskModule(m.module), name).toBe(true);
      expect(m.parameterCount(), name).toBe(entry.paramCount);
    }
  });

  it('builds every super-resolution configuration with its listed parameter count', async () => {
    for (const entry of SR_ENTRIES) {
      const m = await createModel(`ocular/${entry.name}`);
      expect(m.parameterCount(), entry.name).toBe(entry.paramCount);
    }
  });
});
