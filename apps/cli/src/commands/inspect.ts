/**
 * `ocular inspect <model> [--json]`: parameters, MACs, activation memory and a per-layer table
 * of a registered model or an `.onnx` file.
 * @module
 */
import { formatProfile, humanBytes, humanCount, profileGraph } from '@ocular/core';
import { flag, numberOption, stringOption, UsageError } from '../args.js';
import { type Command, ExitCode, JSON_OPTION } from '../context.js';
import { loadGraph, parseInputSize } from '../model-source.js';

/** The `inspect` command. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'parameters, MACs, activation memory and a per-layer table of a model or .onnx file',
  usage:
    'inspect <model|file.onnx> [--input-size <h[xw]>] [--batch <n>] [--by module|node] [--depth <n>] [--json]',
  options: {
    'input-size': {
      type: 'string',
      valueName: '<h[xw]>',
      description: 'trace at this resolution (default: the model default)',
    },
    batch: {
      type: 'string',
      valueName: '<n>',
      description: 'value of symbolic dims when counting (default 1)',
    },
    by: {
      type: 'string',
      valueName: 'module|node',
      description: 'text table rows per module (default) or per node',
    },
    depth: {
      type: 'string',
      valueName: '<n>',
      description: 'deepest module level in the text table (default 2)',
    },
    weights: {
      type: 'string',
      valueName: '<file.safetensors>',
      description: 'load these weights first (checks they fit)',
    },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
    const spec = args.positionals[0];
    if (!spec)
      throw new UsageError('which model? (a registered name such as demo/tiny_cnn, or a .onnx file)');
    if (args.positionals.length > 1) throw new UsageError(`unexpected argument '${args.positionals[1]}'`);
    const sizeArg = stringOption(args, 'input-size');
    const inputSize = parseInputSize(sizeArg);
    if (sizeArg !== undefined && !inputSize)
      throw new UsageError(`--input-size must look like 224 or 224x192, got '${sizeArg}'`);
    const batch = numberOption(args, 'batch') ?? 1;
    if (!Number.isInteger(batch) || batch < 1) throw new UsageError('--batch needs a positive integer');
    const by = stringOption(args, 'by') ?? 'module';
    if (by !== 'module' && by !== 'node')
      throw new UsageError(`--by must be 'module' or 'node', got '${by}'`);
    const depth = numberOption(args, 'depth') ?? 2;
    const loaded = await loadGraph(spec, { inputSize, weights: stringOption(args, 'weights') });
    const { graph } = loaded;
    const profile = profileGraph(graph, { batch });
    if (flag(args, 'json')) {
      ctx.json({
        command: 'inspect',
        schemaVersion: 1,
        model: spec,
        source: loaded.source,
        info: loaded.info ?? null,
        opset: graph.opset,
        inputs: graph.inputs,
        outputs: graph.outputs,
        profile,
      });
      return ExitCode.OK;
    }
    ctx.out(
      `${spec} (${loaded.source === 'onnx' ? 'ONNX file' : `${loaded.info?.family} model`}, opset ${graph.opset})`,
    );
    for (const v of graph.inputs) ctx.out(`  input  ${v.name}: ${v.dtype}[${v.shape.join(', ')}]`);
    for (const v of graph.outputs) ctx.out(`  output ${v.name}: ${v.dtype}[${v.shape.join(', ')}]`);
    ctx.out(
      `  ${humanCount(profile.params)} parameters (${humanBytes(profile.paramBytes)}), ${humanCount(profile.macs)} MACs ` +
        `at batch ${profile.batch}, activations ${humanBytes(profile.activationBytes)} (peak ${humanBytes(profile.peakActivationBytes)}), ` +
        `${graph.nodes.length} nodes`,
    );
    ctx.out();
    ctx.out(formatProfile(profile, { by, depth }));
    return ExitCode.OK;
  },
};
