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
  usage: 'models [--filter <glob>] [--family <name>] [--pretrained] [--json]',
  options: {
    filter: {
      type: 'string',
      valueName: '<glob>',
      description: "glob over 'scope/arch' or 'arch' (with a '.', over weight tags: '*.in1k')",
    },
    family: { type: 'string', valueName: '<name>', description: "only this family ('cnn', 'vit', ...)" },
    pretrained: { type: 'boolean', description: 'only models with known weights, one row per weight tag' },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
    const names = listModels({
      name: stringOption(args, 'filter'),
      family: stringOption(args, 'family'),
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
        ['MODEL', 'FAMILY', 'PARAMS', 'GMACS', 'INPUT', 'CLASSES', 'LICENSE'],
        models.map((m) => [
          m.tag ? `${m.name}.${m.tag}` : m.name,
          m.family,
          m.paramCount === undefined ? '-' : String(m.paramCount),
          m.macs === undefined ? '-' : (m.macs / 1e9).toFixed(3),
          m.defaultInputSize.join('x'),
          String(m.numClasses),
          m.license ?? '-',
        ]),
      ),
    );
    return ExitCode.OK;
  },
};
