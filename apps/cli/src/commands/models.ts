/**
 * `ocular models [--filter glob] [--json]`: registered models, from metadata only (no model
 * code is loaded).
 * @module
 */
import { getModelInfo, listModels } from '@ocular/core';
import { flag, stringOption } from '../args.js';
import { type Command, ExitCode, JSON_OPTION } from '../context.js';
import { table } from '../io.js';

/** The `models` command. */
export const modelsCommand: Command = {
  name: 'models',
  summary: 'list registered models (metadata only; no model code is loaded)',
  usage: 'models [--filter <glob>] [--pretrained] [--json]',
  options: {
    filter: {
      type: 'string',
      valueName: '<glob>',
      description: "glob over 'scope/arch' or 'arch' (with a '.', over weight tags: '*.in1k')",
    },
    pretrained: { type: 'boolean', description: 'only models with known weights, one row per weight tag' },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
    const names = listModels({
      name: stringOption(args, 'filter'),
      pretrained: flag(args, 'pretrained') || undefined,
    });
    const models = names.map((n) => getModelInfo(n));
    if (flag(args, 'json')) {
      ctx.json({ command: 'models', schemaVersion: 1, count: models.length, models });
      return ExitCode.OK;
    }
    if (!models.length) {
      ctx.out('no models are registered (install a model family and registry.use() its plugin)');
      return ExitCode.OK;
    }
    ctx.io.stdout(
      table(
        ['MODEL', 'FAMILY', 'PARAMS', 'INPUT', 'CLASSES', 'LICENSE'],
        models.map((m) => [
          m.tag ? `${m.name}.${m.tag}` : m.name,
          m.family,
          m.paramCount === undefined ? '-' : String(m.paramCount),
          m.defaultInputSize.join('x'),
          String(m.numClasses),
          m.license ?? '-',
        ]),
      ),
    );
    return ExitCode.OK;
  },
};
