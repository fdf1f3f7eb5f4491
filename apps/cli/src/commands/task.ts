/**
 * `ocular detect|segment|upscale <image>`: one pipeline call on one image, the result printed
 * (or as JSON) and drawn into an output image.
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Detection, PixelImage, Segmentation, TaskName, TaskResult } from '@ocular/core';
import { drawDetections, loadImage, overlaySegmentation, saveImage } from '@ocular/image';
import { type Pipeline, type PipelineDecoderConfig, pipeline } from '@ocular/tasks';
import { flag, numberOption, type ParsedArgs, stringOption, UsageError } from '../args.js';
import { type Command, type CommandContext, ExitCode, JSON_OPTION } from '../context.js';
import { fmtMs, table } from '../io.js';
import { progressBar } from '../progress.js';
import { NAMED_LABELS } from '../task-defaults.js';

type ImageTask = Exclude<TaskName, 'classification'>;

const COMMON_OPTIONS = {
  model: {
    type: 'string',
    valueName: '<name|file.onnx>',
    description:
      "task preset, registered task model or ONNX file (default: the task's default preset, see `ocular models --presets`)",
  },
  weights: { type: 'string', valueName: '<file.safetensors>', description: 'weights of a registered model' },
  decoder: {
    type: 'string',
    valueName: '<type|json>',
    description:
      'output format of an ONNX model: yolov8, yolov5, ssd, detr, rtdetr, segmentation, image, or a JSON decoder config',
  },
  labels: {
    type: 'string',
    valueName: '<coco80|coco91|voc|file>',
    description: 'class labels (name, text file or JSON array)',
  },
  backend: { type: 'string', valueName: '<list>', description: 'backend preference list, e.g. node,wasm' },
  output: { type: 'string', short: 'o', valueName: '<file.png>', description: 'write the drawn result here' },
  json: JSON_OPTION,
} as const;

/** Reads `--labels`: a known set's name, a JSON array file or a text file with one label per line. */
export async function readLabels(spec: string | undefined): Promise<readonly string[] | undefined> {
  if (spec === undefined) return undefined;
  const named = NAMED_LABELS[spec];
  if (named) return named;
  const text = await readFile(spec, 'utf8').catch((e: Error) => {
    throw new UsageError(
      `--labels: '${spec}' is neither ${Object.keys(NAMED_LABELS).join(', ')} nor a readable file (${e.message})`,
    );
  });
  if (text.trimStart().startsWith('[')) {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === 'string'))
      throw new UsageError(`--labels: ${spec} must hold a JSON array of strings`);
    return parsed;
  }
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}

function decoderOption(spec: string | undefined): PipelineDecoderConfig | undefined {
  if (spec === undefined) return undefined;
  if (spec.trimStart().startsWith('{')) return JSON.parse(spec) as PipelineDecoderConfig;
  return { type: spec } as PipelineDecoderConfig;
}

const TILE_OPTIONS = {
  tile: {
    type: 'string',
    valueName: '<px>',
    description: 'tile size in input pixels for large images (default 256)',
  },
  overlap: {
    type: 'string',
    valueName: '<px>',
    description: 'tile overlap in input pixels (default: exact for the network)',
  },
} as const;

function positiveInt(args: ParsedArgs, name: string): number | undefined {
  const v = numberOption(args, name);
  if (v !== undefined && !(Number.isInteger(v) && v > 0))
    throw new UsageError(`--${name} needs a positive integer`);
  return v;
}

/** Builds the pipeline a task command asked for. */
export async function taskPipeline(task: ImageTask, args: ParsedArgs): Promise<Pipeline> {
  // Without --model: the task's default preset (the embedded defaults).
  const model = stringOption(args, 'model');
  const tileSize = positiveInt(args, 'tile');
  const overlap = positiveInt(args, 'overlap');
  return pipeline(task, {
    tile: tileSize !== undefined || overlap !== undefined ? { size: tileSize, overlap } : undefined,
    model,
    weights: stringOption(args, 'weights'),
    decoder: decoderOption(stringOption(args, 'decoder')),
    labels: await readLabels(stringOption(args, 'labels')),
    backend: stringOption(args, 'backend'),
  });
}

/** A one-line warning when a pipeline runs untrained. */
export function untrainedNote(p: Pipeline): string {
  return `note: ${p.model} has no trained weights here (random initialisation): its results are meaningless; pass --weights or an ONNX --model for real results`;
}

/** Summary of a segmentation for text and JSON output. */
export function segmentationSummary(seg: Segmentation) {
  const total = seg.width * seg.height;
  return seg.masks
    .map((m) => ({
      classId: m.classId,
      label: m.label,
      area: m.area,
      fraction: m.area / total,
      meanScore: m.meanScore,
    }))
    .sort((a, b) => b.area - a.area);
}

/** Draws a task result onto the source image (at most `maxBoxes` detections, best first). */
export function drawResult(
  task: ImageTask,
  source: PixelImage,
  result: TaskResult<unknown>,
  maxBoxes = 50,
): PixelImage {
  if (task === 'detection') {
    const fontScale = Math.max(1, Math.round(Math.min(source.width, source.height) / 300));
    return drawDetections(source, (result.result as Detection[]).slice(0, maxBoxes), {
      fontScale,
      lineWidth: fontScale,
    });
  }
  if (task === 'segmentation') return overlaySegmentation(source, result.result as Segmentation);
  return result.result as PixelImage;
}

function printResult(task: ImageTask, ctx: CommandContext, r: TaskResult<unknown>): void {
  if (task === 'detection') {
    const dets = r.result as Detection[];
    ctx.out(`${dets.length} detection(s)`);
    if (dets.length)
      ctx.io.stdout(
        table(
          ['LABEL', 'SCORE', 'BOX (x1 y1 x2 y2)'],
          dets
            .slice(0, 50)
            .map((d) => [
              d.label,
              d.score.toFixed(3),
              [d.box.x1, d.box.y1, d.box.x2, d.box.y2].map((v) => v.toFixed(1)).join(' '),
            ]),
        ),
      );
  } else if (task === 'segmentation') {
    const rows = segmentationSummary(r.result as Segmentation);
    ctx.io.stdout(
      table(
        ['CLASS', 'AREA %', 'MEAN SCORE'],
        rows.map((c) => [c.label, (c.fraction * 100).toFixed(1), c.meanScore.toFixed(3)]),
      ),
    );
  } else {
    const img = r.result as PixelImage;
    ctx.out(`output ${img.width}×${img.height}`);
  }
  const t = r.timings;
  ctx.out(
    `backend ${r.backend}: compile ${fmtMs(t.compileMs)} ms, preprocess ${fmtMs(t.preprocessMs)} ms, inference ${fmtMs(t.inferenceMs)} ms, decode ${fmtMs(t.decodeMs)} ms, total ${fmtMs(t.totalMs)} ms`,
  );
}

/** JSON form of a task result (boxes, classes, sizes; never the raw pixels). */
export function resultJson(task: ImageTask, r: TaskResult<unknown>): Record<string, unknown> {
  if (task === 'detection') return { detections: r.result };
  if (task === 'segmentation') {
    const seg = r.result as Segmentation;
    return { width: seg.width, height: seg.height, classes: segmentationSummary(seg) };
  }
  const img = r.result as PixelImage;
  return { width: img.width, height: img.height, channels: img.channels };
}

function makeTaskCommand(name: string, task: ImageTask, summary: string): Command {
  return {
    name,
    summary,
    usage: `${name} <image> [--model <name|file.onnx>] [--backend <list>]${task === 'super-resolution' ? ' [--tile <px>] [--overlap <px>]' : ''} [-o out.png] [--json]`,
    options: task === 'super-resolution' ? { ...COMMON_OPTIONS, ...TILE_OPTIONS } : COMMON_OPTIONS,
    async run(args, ctx) {
      const file = args.positionals[0];
      if (!file) throw new UsageError('which image? (a PNG, JPEG or WebP file)');
      if (args.positionals.length > 1) throw new UsageError(`unexpected argument '${args.positionals[1]}'`);
      const p = await taskPipeline(task, args);
      try {
        const json = flag(args, 'json');
        if (p.untrained && !json) ctx.err(untrainedNote(p));
        const source = await loadImage(file);
        const bar = progressBar(ctx.io, name);
        const r = await p.run(source, { onProgress: (s) => bar(s.done, s.total) });
        const output = stringOption(args, 'output');
        if (output) await saveImage(drawResult(task, source, r), output);
        if (json)
          ctx.json({
            command: name,
            schemaVersion: 1,
            image: file,
            model: p.model,
            untrained: p.untrained,
            backend: r.backend,
            attempts: p.attempts,
            timings: r.timings,
            output: output ?? null,
            ...resultJson(task, r),
          });
        else {
          printResult(task, ctx, r);
          if (output) ctx.out(`wrote ${output}`);
        }
        return ExitCode.OK;
      } finally {
        await p.dispose();
      }
    },
  };
}

/** `ocular detect`. */
export const detectCommand = makeTaskCommand(
  'detect',
  'detection',
  'detect objects in an image (boxes, labels, scores)',
);
/** `ocular segment`. */
export const segmentCommand = makeTaskCommand(
  'segment',
  'segmentation',
  'segment an image into classes (mask overlay)',
);
/** `ocular upscale`. */
export const upscaleCommand = makeTaskCommand(
  'upscale',
  'super-resolution',
  'upscale an image with a super-resolution network',
);
