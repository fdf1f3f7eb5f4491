/**
 * `@ocular/cnn`: convolutional model families with timm's state-dict keys. Importing registers
 * nothing; `registry.use(plugin)` does.
 * @module
 */
import { definePlugin, type Plugin } from '@ocular/core';
import { RESNET_ENTRIES } from './resnet/variants.js';

export { AvgPool2d, MaxPool2d } from './common/pool.js';
export * from './resnet/index.js';

/** The plugin registering every model of this package under the `ocular` scope. */
export const plugin: Plugin = definePlugin({
  scope: 'ocular',
  name: '@ocular/cnn',
  version: '0.1.0',
  coreRange: '^0.1.0',
  models: [...RESNET_ENTRIES],
});
