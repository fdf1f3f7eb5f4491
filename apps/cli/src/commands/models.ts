/**
 * `ocular models [--filter glob] [--json]`: registered models, from metadata only (no model
 * code is loaded).
 * @module
 */
import { getModelInfo, listModels, type TaskName } from '@ocular/core';
import { defaultTaskPreset, listTaskPresets } from '@ocular/tasks';
import { flag, type ParsedArgs, stringOption } from '../args.js';
import { type Command, type CommandContext, ExitCode, JSON_OPTION } from '../context.js';
import { table } from '../io.js';

/** The `models` command. */
export const modelsCommand: Command = {
  name: 'models',
  summary: 'list registered models (metadata only; no model code is loaded)',
  usage: 'models [--filter <glob>] [--family <name>] [--pretrained] [--presets] [--json]',
  options: {
    filter: {
      type: 'string',
      valueName: '<glob>',
      description: "glob over 'scope/arch' or 'arch' (with a '.', over weight tags: '*.in1k')",
    },
    family: { type: 'string', valueName: '<name>', description: "only this family ('cnn', 'vit', ...)" },
    pretrained: { type: 'boolean', description: 'only models with known weights, one row per weight tag' },
    presets: {
      type: 'boolean',
      description: 'list the ready-to-run task presets (pipeline defaults) instead',
    },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
    if (flag(args, 'presets')) return listPresets(args, ctx);
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

function listPresets(args: ParsedArgs, ctx: CommandContext): number {
  const task = stringOption(args, 'family') as TaskName | undefined;
  const presets = listTaskPresets(task);
  const isDefault = (name: string, t: TaskName) => {
    try {
      return defaultTaskPreset(t).name === name;
    } catch {
      return false;
    }
  };
  const rows = presets.map((p) => ({
    name: p.name,
    task: p.task,
    default: isDefault(p.name, p.task),
    description: p.description,
    license: p.license,
    source: p.source,
  }));
  if (flag(args, 'json')) {
    ctx.json({ command: 'models', schemaVersion: 1, count: rows.length, presets: rows });
    return ExitCode.OK;
  }
  if (!rows.length) {
    ctx.out('no task presets are registered');
    return ExitCode.OK;
  }
  ctx.io.stdout(
    table(
      ['PRESET', 'TASK', 'DEFAULT', 'LICENSE', 'DESCRIPTION'],
      rows.map((r) => [r.name, r.task, r.default ? 'yes' : '', r.license, r.description]),
    ),
  );
  return ExitCode.OK;
}
