/**
 * The plugin registering the task networks, heads and necks of this package under the `ocular`
 * scope. Importing registers nothing; `registry.use(plugin)` does.
 * @module
 */
import { definePlugin, type Plugin } from '@ocular/core';
import { SR_ENTRIES, TASK_HEAD_ENTRIES, TORCHVISION_TASK_ENTRIES } from './plugin-entries.js';

/** Detection, segmentation and super-resolution networks plus composable heads and necks. */
export const plugin: Plugin = definePlugin({
  scope: 'ocular',
  name: '@ocular/tasks',
  version: '0.1.0',
  coreRange: '^0.1.0',
  models: [...TORCHVISION_TASK_ENTRIES, ...SR_ENTRIES],
  heads: TASK_HEAD_ENTRIES,
});
