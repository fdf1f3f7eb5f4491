// Every timm layout of the CNN families in the reference data is registered and exact.
import { defineLayoutCoverageTests } from '@ocular/vitest-config/model-layouts';
import { plugin } from '../src/index.js';

defineLayoutCoverageTests({
  family: 'cnn',
  plugin,
  timmModules: [
    'resnet',
    'efficientnet',
    'mobilenetv3',
    'ghostnet',
    'regnet',
    'convnext',
    'inception_next',
    'repvit',
    'byobnet',
  ],
  // MobileViT is built by timm's byobnet too, but it is a conv-attention hybrid.
  exclude: (model) => model.startsWith('mobilevit'),
  minLayouts: 30,
});
