// Every timm layout of the vision-transformer families in the reference data is registered and exact.
import { defineLayoutCoverageTests } from '@ocular/vitest-config/model-layouts';
import { plugin } from '../src/index.js';

defineLayoutCoverageTests({
  family: 'vit',
  plugin,
  timmModules: [
    'vision_transformer',
    'deit',
    'swin_transformer',
    'pvt_v2',
    'twins',
    'cait',
    'crossvit',
    'xcit',
    'tnt',
    'volo',
  ],
  minLayouts: 17,
});
