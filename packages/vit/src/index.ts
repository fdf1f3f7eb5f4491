/**
 * `@ocular/vit`: vision-transformer families with timm's state-dict keys. Importing registers
 * nothing; `registry.use(plugin)` does.
 * @module
 */
import { definePlugin, type Plugin, withMacs } from '@ocular/core';
import { CAIT_ENTRIES } from './cait/variants.js';
import { CROSSVIT_ENTRIES } from './crossvit/variants.js';
import { MODEL_MACS } from './metrics.js';
import { PVT_V2_ENTRIES } from './pvt_v2/variants.js';
import { SWIN_ENTRIES } from './swin/variants.js';
import { TNT_ENTRIES } from './tnt/variants.js';
import { TWINS_ENTRIES } from './twins/variants.js';
import { VISION_TRANSFORMER_ENTRIES } from './vision_transformer/variants.js';
import { VOLO_ENTRIES } from './volo/variants.js';
import { XCIT_ENTRIES } from './xcit/variants.js';

export * from './cait/index.js';
export * from './crossvit/index.js';
export * from './pvt_v2/index.js';
export * from './swin/index.js';
export * from './tnt/index.js';
export * from './twins/index.js';
export * from './vision_transformer/index.js';
export * from './volo/index.js';
export * from './xcit/index.js';

/** The plugin registering every model of this package under the `ocular` scope. */
export const plugin: Plugin = definePlugin({
  scope: 'ocular',
  name: '@ocular/vit',
  version: '0.1.0',
  coreRange: '^0.1.0',
  models: withMacs(
    [
      ...VISION_TRANSFORMER_ENTRIES,
      ...SWIN_ENTRIES,
      ...PVT_V2_ENTRIES,
      ...TWINS_ENTRIES,
      ...CAIT_ENTRIES,
      ...CROSSVIT_ENTRIES,
      ...XCIT_ENTRIES,
      ...TNT_ENTRIES,
      ...VOLO_ENTRIES,
    ],
    MODEL_MACS,
  ),
});
