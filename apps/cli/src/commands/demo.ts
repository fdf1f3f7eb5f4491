/**
 * `ocular demo`: runs detection, segmentation and super-resolution on the sample photos shipped
 * with the CLI, writes the annotated images and an HTML report (plus `report.json`), and checks
 * that every available backend agrees with the reference backend on a tiny network.
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Detection, PixelImage, Segmentation, TaskName, TaskTimings } from '@ocular/core';
import { crop, loadImage, psnrY, resize, saveImage, sideBySide } from '@ocular/image';
import { defaultTaskPreset, listTaskPresets, pipeline } from '@ocular/tasks';
import { flag, listOption, numberOption, stringOption, UsageError } from '../args.js';
import { type Command, ExitCode, JSON_OPTION } from '../context.js';
import { fmtMs } from '../io.js';
import { agreementTable, type BackendAgreement, compareBackends } from './demo-backends.js';
import { drawResult, segmentationSummary } from './task.js';

/** The sample photos, in the CLI package's `samples/` folder (see samples/LICENSES.md). */
export const SAMPLE_IMAGES = ['astronaut.jpg', 'chelsea.jpg', 'city.jpg', 'coffee.jpg'] as const;

/** Photos each task runs on (segmentation: the person models need people). */
const TASK_IMAGES = {
  detection: SAMPLE_IMAGES,
  segmentation: ['astronaut.jpg', 'city.jpg'],
} as const;

/** Finds the samples folder next to the built CLI (`dist/`) or its sources (`src/commands/`). */
export function samplesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [resolve(here, '../samples'), resolve(here, '../../samples')])
    if (existsSync(join(dir, 'LICENSES.md'))) return dir;
  throw new UsageError(`the sample images were not found next to ${here}`);
}

/** One task run of the demo, as written to report.json. */
export interface DemoTaskRun {
  readonly task: TaskName;
  readonly image: string;
  readonly model: string;
  readonly untrained: boolean;
  readonly backend: string;
  readonly timings: TaskTimings;
  /** Written image, relative to the output folder (null when only measured). */
  readonly output: string | null;
  readonly summary: string;
  readonly details: Record<string, unknown>;
}

/** The scale a super-resolution preset's name declares (`…x2`, `…_x3`). */
const scaleOf = (model: string) => Number(/x(\d)\b/.exec(model)?.[1] ?? Number.NaN);

async function detectAndSegment(
  task: 'detection' | 'segmentation',
  images: readonly string[],
  dir: string,
  outDir: string,
  backend: string | undefined,
): Promise<DemoTaskRun[]> {
  const p = await pipeline(task, { backend });
  const runs: DemoTaskRun[] = [];
  try {
    for (const name of images) {
      const source = await loadImage(join(dir, name));
      const r = await p.run(source);
      const output = `${task === 'detection' ? 'detect' : 'segment'}-${basename(name, '.jpg')}.png`;
      await saveImage(drawResult(task, source, r, 10), join(outDir, output));
      let summary: string;
      let details: Record<string, unknown>;
      if (task === 'detection') {
        const dets = r.result as Detection[];
        const top = dets.slice(0, 5).map((d) => `${d.label} ${d.score.toFixed(2)}`);
        summary = `${dets.length} detections${top.length ? `; top: ${top.join(', ')}` : ''}`;
        details = { detections: dets.length, top: dets.slice(0, 10) };
      } else {
        const classes = segmentationSummary(r.result as Segmentation).slice(0, 5);
        summary = classes.map((c) => `${c.label} ${(c.fraction * 100).toFixed(0)}%`).join(', ');
        details = { classes };
      }
      runs.push({
        task,
        image: name,
        model: p.model,
        untrained: p.untrained,
        backend: r.backend,
        timings: r.timings,
        output,
        summary,
        details,
      });
    }
  } finally {
    await p.dispose();
  }
  return runs;
}

async function superResolution(
  dir: string,
  outDir: string,
  backend: string | undefined,
  model: string,
  save: boolean,
): Promise<DemoTaskRun> {
  const scale = scaleOf(model);
  if (!Number.isInteger(scale)) throw new UsageError(`cannot tell the scale of ${model} from its name`);
  const name = 'coffee.jpg';
  const original = await loadImage(join(dir, name));
  // The high-resolution reference: the photo cropped to a multiple of the scale.
  const hr = crop(original, {
    x1: 0,
    y1: 0,
    x2: original.width - (original.width % scale),
    y2: original.height - (original.height % scale),
  });
  const lrSize = { width: hr.width / scale, height: hr.height / scale };
  const lr = resize(hr, { ...lrSize, method: 'bicubic', antialias: true });
  const bicubic = resize(lr, { width: hr.width, height: hr.height, method: 'bicubic' });
  const p = await pipeline('super-resolution', { model, backend });
  try {
    const r = await p.run(lr);
    const sr = r.result as PixelImage;
    const psnrModel = psnrY(sr, hr, scale);
    const psnrBicubic = psnrY(bicubic, hr, scale);
    const output = `upscale-${basename(name, '.jpg')}-${model.replace(/\W+/g, '_')}.png`;
    const nearest = resize(lr, { width: hr.width, height: hr.height, method: 'nearest' });
    if (save)
      await saveImage(
        sideBySide([nearest, bicubic, sr, hr], {
          gap: 8,
          fontScale: 2,
          labels: ['input (nearest)', 'bicubic', p.model, 'original'],
        }),
        join(outDir, output),
      );
    return {
      task: 'super-resolution',
      image: name,
      model: p.model,
      untrained: p.untrained,
      backend: r.backend,
      timings: r.timings,
      output: save ? output : null,
      summary: `×${scale}: Y-PSNR ${psnrModel.toFixed(2)} dB (bicubic ${psnrBicubic.toFixed(2)} dB, ${(psnrModel - psnrBicubic).toFixed(2)} dB)`,
      details: {
        scale,
        input: lrSize,
        psnrY: psnrModel,
        psnrYBicubic: psnrBicubic,
        gainDb: psnrModel - psnrBicubic,
      },
    };
  } finally {
    await p.dispose();
  }
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The HTML report: one section per task with images, timings and an untrained-weights warning. */
export function demoHtml(runs: readonly DemoTaskRun[], agreement: BackendAgreement): string {
  const sections = (['detection', 'segmentation', 'super-resolution'] as const).map((task) => {
    const rows = runs.filter((r) => r.task === task);
    if (!rows.length) return '';
    const untrained = rows.some((r) => r.untrained)
      ? `<p class="warn">${escapeHtml(rows[0]!.model)} runs with random, untrained weights: these results only show that the pipeline works end to end, not what a trained model sees.</p>`
      : '';
    const cards = rows
      .filter((r) => r.output)
      .map(
        (r) =>
          `<figure><img src="${escapeHtml(r.output!)}" alt="${escapeHtml(`${task} of ${r.image}`)}"><figcaption><b>${escapeHtml(r.image)}</b> — ${escapeHtml(r.summary)}<br>${escapeHtml(r.backend)}: compile ${fmtMs(r.timings.compileMs)} ms · preprocess ${fmtMs(r.timings.preprocessMs)} ms · inference ${fmtMs(r.timings.inferenceMs)} ms · decode ${fmtMs(r.timings.decodeMs)} ms</figcaption></figure>`,
      )
      .join('\n');
    const table =
      task === 'super-resolution'
        ? `<table><tr><th>model</th><th>scale</th><th>Y-PSNR dB</th><th>bicubic dB</th><th>gain dB</th><th>inference ms</th></tr>${rows
            .map((r) => {
              const d = r.details as { scale: number; psnrY: number; psnrYBicubic: number; gainDb: number };
              return `<tr><td>${escapeHtml(r.model)}</td><td>×${d.scale}</td><td>${d.psnrY.toFixed(2)}</td><td>${d.psnrYBicubic.toFixed(2)}</td><td>${d.gainDb >= 0 ? '+' : ''}${d.gainDb.toFixed(2)}</td><td>${fmtMs(r.timings.inferenceMs)}</td></tr>`;
            })
            .join(
              '',
            )}</table><p>Each model upscales ${escapeHtml(rows[0]!.image)} downscaled by its scale (antialiased bicubic); Y-PSNR on BT.601 luma against the original, scale pixels shaved; bicubic = centre-aligned bicubic upscaling of the same input.</p>`
        : '';
    return `<section><h2>${task} — ${escapeHtml(rows[0]!.model)}</h2>${untrained}\n${cards}${table}</section>`;
  });
  const backendRows = agreement.backends
    .map(
      (b) =>
        `<tr><td>${escapeHtml(b.name)}</td><td>${b.available && !b.error ? 'yes' : 'no'}</td><td>${b.runMs === null ? '-' : fmtMs(b.runMs)}</td><td>${b.maxAbsDiff === null ? '-' : b.maxAbsDiff.toExponential(2)}</td><td>${b.agrees === null ? escapeHtml(b.error ?? b.reason ?? '-') : b.agrees ? 'yes' : 'NO'}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ocular demo report</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:1200px}figure{display:inline-block;margin:0 1rem 1rem 0;vertical-align:top;max-width:560px}img{max-width:100%;border:1px solid #ccc}.warn{background:#fff3cd;padding:.5rem 1rem;border-left:4px solid #e0a800}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}</style>
</head><body>
<h1>Ocular demo report</h1>
<p>Generated ${new Date().toISOString()} by <code>ocular demo</code>. Sample photos: see <code>samples/LICENSES.md</code> (public domain, CC0 and CC-BY-SA).</p>
${sections.join('\n')}
<section><h2>Backends</h2><p>Tiny network ${escapeHtml(agreement.network.name)} (${agreement.network.params} parameters) on every backend, compared with the reference backend.</p>
<table><tr><th>backend</th><th>available</th><th>run ms</th><th>max abs diff</th><th>agrees</th></tr>${backendRows}</table></section>
</body></html>
`;
}

/** The `demo` command. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'detect, segment and upscale the sample photos; write annotated images and an HTML report',
  usage: 'demo [--out <dir>] [--backend <list>] [--runs <n>] [--json]',
  options: {
    out: { type: 'string', valueName: '<dir>', description: 'output folder (default ocular-demo)' },
    backend: {
      type: 'string',
      valueName: '<list>',
      description: 'backend preference list for the tasks (default: best available)',
    },
    backends: {
      type: 'string',
      valueName: '<list>',
      description: 'backends to compare on the tiny network (default: all registered)',
    },
    runs: {
      type: 'string',
      valueName: '<n>',
      description: 'timed runs per backend in the comparison (default 5)',
    },
    json: JSON_OPTION,
  },
  async run(args, ctx) {
    const runs = numberOption(args, 'runs') ?? 5;
    if (!Number.isInteger(runs) || runs < 1) throw new UsageError('--runs needs a positive integer');
    const outDir = resolve(stringOption(args, 'out') ?? 'ocular-demo');
    const backend = stringOption(args, 'backend');
    const json = flag(args, 'json');
    await mkdir(outDir, { recursive: true });
    const dir = samplesDir();
    const log = (line: string) => {
      if (!json) ctx.out(line);
    };
    const taskRuns: DemoTaskRun[] = [];
    for (const task of ['detection', 'segmentation'] as const) {
      const r = await detectAndSegment(task, TASK_IMAGES[task], dir, outDir, backend);
      for (const x of r)
        log(`${task} ${x.image}: ${x.summary} (${x.backend}, ${fmtMs(x.timings.inferenceMs)} ms inference)`);
      taskRuns.push(...r);
    }
    // The default upscaler with its drawn comparison, then every other registered one, measured.
    const srDefault = defaultTaskPreset('super-resolution').name;
    const others = listTaskPresets('super-resolution')
      .map((p) => p.name)
      .filter((n) => n !== srDefault && Number.isInteger(scaleOf(n)));
    for (const preset of [srDefault, ...others]) {
      const sr = await superResolution(dir, outDir, backend, preset, preset === srDefault);
      log(
        `super-resolution ${sr.image} ${sr.model}: ${sr.summary} (${sr.backend}, ${fmtMs(sr.timings.inferenceMs)} ms inference)`,
      );
      taskRuns.push(sr);
    }
    const untrained = [...new Set(taskRuns.filter((r) => r.untrained).map((r) => r.model))];
    if (untrained.length)
      log(`note: untrained (random weights) — results are not meaningful: ${untrained.join(', ')}`);
    const agreement = await compareBackends(listOption(args, 'backends'), runs);
    if (!json) ctx.io.stdout(agreementTable(agreement));
    const report = join(outDir, 'index.html');
    await writeFile(report, demoHtml(taskRuns, agreement));
    const summary = {
      command: 'demo',
      schemaVersion: 2,
      ok: agreement.ok,
      outDir,
      report,
      tasks: taskRuns,
      backends: agreement,
    };
    await writeFile(join(outDir, 'report.json'), `${JSON.stringify(summary, null, 2)}\n`);
    if (json) ctx.json(summary);
    else log(`report: ${report}`);
    return agreement.ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
  },
};
