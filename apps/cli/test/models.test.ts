import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '@ocular/vitest-config/shared-data';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIO, runCli } from '../src/index.js';

async function cli(...argv: string[]) {
  const io = memoryIO();
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

const dir = mkdtempSync(join(tmpdir(), 'ocular-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('models, inspect, export', () => {
  it('models --json lists the demo model from metadata', async () => {
    const r = await cli('models', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ command: 'models', schemaVersion: 1 });
    const tiny = doc.models.find((m: { name: string }) => m.name === 'demo/tiny_cnn');
    expect(tiny).toMatchObject({ family: 'cnn', defaultInputSize: [3, 32, 32], numClasses: 10 });
    expect((await cli('models', '--filter', 'nothing*', '--json')).out).toContain('"count": 0');
  });

  it('models --family cnn --json lists the CNN families with params and MACs, without loading their code', async () => {
    const r = await cli('models', '--family', 'cnn', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.models.every((m: { family: string }) => m.family === 'cnn')).toBe(true);
    // timm's published figures: ResNet-50 25.56 M parameters, 4.1 GMACs at 224×224.
    const r50 = doc.models.find((m: { name: string }) => m.name === 'ocular/resnet50');
    expect(r50).toMatchObject({ paramCount: 25_557_032, defaultInputSize: [3, 224, 224] });
    expect(Math.abs(r50.macs / 4.1e9 - 1)).toBeLessThan(0.02);
    const text = await cli('models', '--family', 'cnn');
    expect(text.out).toMatch(/ocular\/resnet50\.\S+\s+cnn\s+25557032\s+4\.089/);
  });

  it('models --family vit --json lists MACs within 2% of the published figures', async () => {
    const r = await cli('models', '--family', 'vit', '--json');
    expect(r.code).toBe(0);
    const macs = new Map<string, number>(
      JSON.parse(r.out).models.map((m: { name: string; macs: number }) => [m.name, m.macs]),
    );
    // Published GMACs at 224×224: ViT-B/16 17.6, DeiT-S 4.6, Swin-T 4.5.
    for (const [name, published] of [
      ['ocular/vit_base_patch16_224', 17.6e9],
      ['ocular/deit_small_patch16_224', 4.6e9],
      ['ocular/swin_tiny_patch4_window7_224', 4.5e9],
    ] as const) {
      expect(Math.abs(macs.get(name)! / published - 1), name).toBeLessThan(0.02);
    }
  });

  it('inspect --json counts parameters and MACs of the demo model', async () => {
    const r = await cli('inspect', 'demo/tiny_cnn', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    // stem conv 3->16 3x3 (432) + bn (32) ; stage conv 16->32 3x3 (4608) + bn (64) ;
    // se fc1 32->8 1x1 + bias (264), fc2 8->32 + bias (288) ; head fc 32->10 + bias (330).
    expect(doc.profile.params).toBe(432 + 32 + 4608 + 64 + 264 + 288 + 330);
    // MACs at 32x32: stem 16*32*32*27, stage (stride 2 after a 2x2 max pool) 32*8*8*144,
    // se 8*32 + 32*8, head 32*10.
    expect(doc.profile.macs).toBe(16 * 32 * 32 * 27 + 32 * 8 * 8 * 144 + 256 + 256 + 320);
    expect(doc.inputs[0]).toMatchObject({ name: 'input', dtype: 'float32', shape: ['batch', 3, 32, 32] });
    expect(doc.profile.modules.map((m: { path: string }) => m.path)).toContain('stage.conv');
  });

  it('export writes ONNX that onnxruntime loads and agrees with the reference; inspect reads it back', async () => {
    const file = join(dir, 'tiny.onnx');
    const r = await cli('export', 'demo/tiny_cnn', '-o', file, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.check).toMatchObject({ verified: true, agrees: true });
    expect(doc.check.maxAbsDiff).toBeLessThan(1e-4);
    expect(doc.metadata['ocular.model']).toBe('demo/tiny_cnn');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).byteLength).toBe(doc.bytes);
    const back = JSON.parse((await cli('inspect', file, '--json')).out);
    expect(back.source).toBe('onnx');
    expect(back.profile.macs).toBe(16 * 32 * 32 * 27 + 32 * 8 * 8 * 144 + 256 + 256 + 320);
    expect(back.inputs[0].shape[0]).toBe('batch');
  });

  it('reports usage and typed errors with exit codes', async () => {
    expect((await cli('export', 'demo/tiny_cnn')).code).toBe(2);
    const unknown = await cli('inspect', 'no_such_model');
    expect(unknown.code).toBe(3);
    expect(unknown.err).toMatch(/error \[E_REGISTRY\]: unknown model 'no_such_model'/);
    const missing = await cli(
      'export',
      'demo/tiny_cnn',
      '-o',
      join(dir, 'x.onnx'),
      '--weights',
      join(dir, 'none.safetensors'),
    );
    expect(missing.code).toBe(3);
    expect(missing.err).toMatch(/^ocular export: error/);
  });
});

describe('demo', () => {
  it('checks that every backend agrees with the reference on the tiny network', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ocular-demo-'));
    try {
      const r = await cli('demo', '--runs', '1', '--out', out, '--json');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out);
      expect(doc).toMatchObject({ command: 'demo', ok: true });
      expect(doc.backends.network).toMatchObject({ name: 'demo/tiny_cnn', params: 6018 });
      const results = doc.backends.backends;
      expect(results.map((b: { name: string }) => b.name)).toEqual(['node', 'wasm', 'reference']);
      for (const b of results) {
        expect(b).toMatchObject({ available: true, agrees: true, error: null });
        expect(b.top3).toEqual(results[2].top3);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

const testsDir = sharedPath('onnx-backend-tests');
describe('conformance', () => {
  it('runs the official node tests of some ops on the reference backend', async () => {
    const r = await cli('conformance', '--onnx-tests', testsDir, '--filter', 'test_relu*', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ command: 'conformance', backend: 'reference', ok: true, failed: 0 });
    expect(doc.passed).toBeGreaterThan(0);
    expect(doc.results.every((t: { name: string }) => t.name.startsWith('test_relu'))).toBe(true);
  });

  it('skips, with the reason, tests whose dtypes the node backend cannot carry', async () => {
    const r = await cli(
      'conformance',
      '--onnx-tests',
      testsDir,
      '--backend',
      'node',
      '--filter',
      'test_cast_FLOAT_to_BFLOAT16',
      '--json',
    );
    const doc = JSON.parse(r.out);
    expect(doc.results).toEqual([
      expect.objectContaining({ status: 'skip', reason: expect.stringMatching(/bfloat16/) }),
    ]);
  });

  it('exits 1 when the pass rate is below --min-pass-rate', async () => {
    const r = await cli(
      'conformance',
      '--onnx-tests',
      testsDir,
      '--backend',
      'node',
      '--filter',
      'test_cast_FLOAT_to_BFLOAT16',
      '--min-pass-rate',
      '1',
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/conformance: FAILED \(pass rate below 1\)/);
  });

  it('a missing test folder is an error', async () => {
    const r = await cli('conformance', '--onnx-tests', '/nonexistent/tests');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/ENOENT/);
  });
});
