// The task commands and the demo, end to end through the CLI on the shipped sample photos.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage } from '@ocular/image';
import { afterAll, describe, expect, it } from 'vitest';
import { samplesDir } from '../src/commands/demo.js';
import { memoryIO, runCli } from '../src/index.js';

async function cli(...argv: string[]) {
  const io = memoryIO();
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

const tmp = mkdtempSync(join(tmpdir(), 'ocular-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sample = (name: string) => join(samplesDir(), name);

describe('ocular detect / segment / upscale', () => {
  it('detect --json runs the default detector: the cat, in source pixels, with the backend and timings', async () => {
    const r = await cli(
      'detect',
      sample('chelsea.jpg'),
      '--backend',
      'node',
      '--json',
      '-o',
      join(tmp, 'det.png'),
    );
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({
      command: 'detect',
      schemaVersion: 1,
      model: 'ocular/nanodet',
      untrained: false,
      backend: 'node',
    });
    expect(doc.detections[0].label).toBe('cat');
    for (const d of doc.detections) {
      expect(d.box.x2).toBeLessThanOrEqual(451);
      expect(d.box.y2).toBeLessThanOrEqual(300);
    }
    expect(doc.timings.inferenceMs).toBeGreaterThan(0);
    const drawn = await loadImage(join(tmp, 'det.png'));
    expect([drawn.width, drawn.height]).toEqual([451, 300]);
  });

  it('segment runs the default person segmenter and writes the overlay at the source size', async () => {
    const out = join(tmp, 'seg.png');
    const r = await cli('segment', sample('astronaut.jpg'), '--backend', 'node', '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/person\s+\d/);
    const img = await loadImage(out);
    expect([img.width, img.height]).toEqual([512, 512]);
  });

  it('warns when a chosen task network has no trained weights', async () => {
    const r = await cli(
      'segment',
      sample('coffee.jpg'),
      '--model',
      'ocular/lraspp_mobilenet_v3_large',
      '--backend',
      'node',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/no trained weights/);
  });

  it('upscale tiles a large image with progress on stderr and writes scale × the input size', async () => {
    const out = join(tmp, 'up.png');
    const r = await cli('upscale', sample('chelsea.jpg'), '--backend', 'node', '--tile', '128', '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/upscale: \d+\/\d+/);
    const img = await loadImage(out);
    const scale = img.width / 451;
    expect(Number.isInteger(scale) && scale >= 2).toBe(true);
    expect(img.height).toBe(300 * scale);
  });

  it('names a missing image and a foreign model without decoder, with exit code 3', async () => {
    const a = await cli('detect', join(tmp, 'missing.jpg'), '--backend', 'node');
    expect(a.code).toBe(3);
    expect(a.err).toMatch(/missing\.jpg/);
    const b = await cli('upscale', sample('chelsea.jpg'), '--tile', '0');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--tile needs a positive integer/);
  });
});

describe('ocular demo', () => {
  it('detects, segments and upscales the samples with the defaults and writes an HTML report', async () => {
    const outDir = join(tmp, 'demo');
    const r = await cli(
      'demo',
      '--out',
      outDir,
      '--backend',
      'node',
      '--backends',
      'node,reference',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8'));
    const byImage = (task: string, image: string) =>
      doc.tasks.find((t: { task: string; image: string }) => t.task === task && t.image === image);
    const labels = (image: string) =>
      byImage('detection', image).details.top.map((d: { label: string }) => d.label) as string[];
    // A person, an animal and a vehicle.
    expect(labels('astronaut.jpg')[0]).toBe('person');
    expect(labels('chelsea.jpg')[0]).toBe('cat');
    expect(labels('city.jpg')).toContain('car');
    const mask = byImage('segmentation', 'astronaut.jpg').details.classes.find(
      (c: { label: string }) => c.label === 'person',
    );
    expect(mask.fraction).toBeGreaterThan(0.3);
    for (const t of doc.tasks) {
      expect(t.untrained, t.model).toBe(false);
      if (t.output) expect(existsSync(join(outDir, t.output)), t.output).toBe(true);
    }
    const sr = doc.tasks.filter((t: { task: string }) => t.task === 'super-resolution');
    expect(sr.length).toBeGreaterThan(1);
    expect(sr[0].output).not.toBeNull();
    for (const t of sr) expect(Number.isFinite(t.details.gainDb)).toBe(true);
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(html).toContain('detect-chelsea.png');
    expect(html).toContain('bicubic dB');
    expect(doc.backends.backends.map((b: { name: string; agrees: boolean }) => [b.name, b.agrees])).toEqual([
      ['node', true],
      ['reference', true],
    ]);
  });
});

describe('ocular export --from', () => {
  it('converts a TF.js LayersModel to ONNX that onnxruntime runs like the reference backend', async () => {
    const out = join(tmp, 'upscaler.onnx');
    const from = join(
      samplesDir(),
      '../../../packages/models/node_modules/@upscalerjs/default-model/models/model.json',
    );
    const r = await cli('export', '--from', from, '-o', out, '--json');
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.check).toMatchObject({ verified: true, agrees: true });
    expect(existsSync(out)).toBe(true);
    const bad = await cli('export', '--from', join(tmp, 'missing.json'), '-o', out);
    expect(bad.code).toBe(3);
    expect(bad.err).toMatch(/missing\.json/);
  });
});
