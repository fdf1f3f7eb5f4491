/**
 * `@ocular/cnn`: convolutional model families with timm's state-dict keys. Importing registers
 * nothing; `registry.use(plugin)` does.
 * @module
 */
import { definePlugin, type Plugin, withMacs } from '@ocular/core';
import { BYOBNET_ENTRIES } from './byobnet/variants.js';
import { CONVNEXT_ENTRIES } from './convnext/variants.js';
import { EFFICIENTNET_ENTRIES } from './efficientnet/variants.js';
import { GHOSTNET_ENTRIES } from './ghostnet/variants.js';
import { INCEPTION_NEXT_ENTRIES } from './inception_next/variants.js';
import { MODEL_MACS } from './metrics.js';
import { REGNET_ENTRIES } from './regnet/variants.js';
import { REPLKNET_ENTRIES } from './replknet/variants.js';
import { REPVIT_ENTRIES } from './repvit/variants.js';
import { RESNET_ENTRIES } from './resnet/variants.js';

export * from './byobnet/index.js';
export { AvgPool2d, MaxPool2d } from './common/pool.js';
export * from './convnext/index.js';
export * from './efficientnet/index.js';
export * from './ghostnet/index.js';
export * from './inception_next/index.js';
export * from './regnet/index.js';
export * from './replknet/index.js';
export * from './repvit/index.js';
export * from './resnet/index.js';

/** The plugin registering every model of this package under the `ocular` scope. */
export const plugin: Plugin = definePlugin({
  scope: 'ocular',
  name: '@ocular/cnn',
  version: '0.1.0',
  coreRange: '^0.1.0',
  models: withMacs(
    [
      ...RESNET_ENTRIES,
      ...EFFICIENTNET_ENTRIES,
      ...CONVNEXT_ENTRIES,
      ...INCEPTION_NEXT_ENTRIES,
      ...GHOSTNET_ENTRIES,
      ...REGNET_ENTRIES,
      ...REPVIT_ENTRIES,
      ...BYOBNET_ENTRIES,
      ...REPLKNET_ENTRIES,
    ],
    MODEL_MACS,
  ),
});
