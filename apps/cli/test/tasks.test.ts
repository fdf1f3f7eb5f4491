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
  it('detect --json reports typed detections in source pixels, the backend and timings', async () => {
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
      model: 'ocular/ssdlite320_mobilenet_v3_large',
      untrained: true,
      backend: 'node',
    });
    expect(doc.detections.length).toBeGreaterThan(0);
    for (const d of doc.detections) {
      expect(d.box.x2).toBeLessThanOrEqual(451);
      expect(d.box.y2).toBeLessThanOrEqual(300);
      expect(typeof d.label).toBe('string');
    }
    expect(doc.timings.inferenceMs).toBeGreaterThan(0);
    const drawn = await loadImage(join(tmp, 'det.png'));
    expect([drawn.width, drawn.height]).toEqual([451, 300]);
  });

  it('segment writes the overlay at the source size and warns that the default model is untrained', async () => {
    const out = join(tmp, 'seg.png');
    const r = await cli('segment', sample('coffee.jpg'), '--backend', 'node', '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/no trained weights/);
    expect(r.out).toMatch(/AREA %/);
    const img = await loadImage(out);
    expect([img.width, img.height]).toEqual([600, 400]);
  });

  it('upscale tiles a large image with progress on stderr and writes scale × the input size', async () => {
    const out = join(tmp, 'up.png');
    const r = await cli('upscale', sample('chelsea.jpg'), '--backend', 'node', '--tile', '128', '-o', out);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/upscale: \d+\/12/);
    const img = await loadImage(out);
    expect([img.width, img.height]).toEqual([451 * 3, 300 * 3]);
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
  it('runs the three tasks on the samples and writes annotated images and an HTML report', async () => {
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
    expect(doc.tasks.map((t: { task: string }) => t.task)).toEqual([
      'detection',
      'detection',
      'detection',
      'segmentation',
      'segmentation',
      'segmentation',
      'super-resolution',
    ]);
    for (const t of doc.tasks) expect(existsSync(join(outDir, t.output)), t.output).toBe(true);
    const sr = doc.tasks.at(-1);
    expect(sr.details.psnrYBicubic).toBeGreaterThan(20);
    expect(Number.isFinite(sr.details.psnrY)).toBe(true);
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(html).toContain('untrained');
    expect(html).toContain('detect-chelsea.png');
    expect(doc.backends.backends.map((b: { name: string; agrees: boolean }) => [b.name, b.agrees])).toEqual([
      ['node', true],
      ['reference', true],
    ]);
  });
});
