import { describe, expect, it } from 'vitest';
import { memoryIO, parseArgs, runCli, UsageError, VERSION } from '../src/index.js';

async function cli(...argv: string[]) {
  const io = memoryIO();
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('argv parser', () => {
  const spec = {
    json: { type: 'boolean', description: '' },
    output: { type: 'string', short: 'o', description: '' },
  } as const;

  it('parses flags, values, = syntax, short aliases and --', () => {
    expect(parseArgs(['m', '--json', '-o', 'f.onnx'], spec)).toEqual({
      positionals: ['m'],
      options: { json: true, output: 'f.onnx' },
    });
    expect(parseArgs(['--output=a=b', '--', '--json'], spec)).toEqual({
      positionals: ['--json'],
      options: { output: 'a=b' },
    });
  });

  it('rejects unknown options, missing values and values on flags', () => {
    expect(() => parseArgs(['--nope'], spec)).toThrow(UsageError);
    expect(() => parseArgs(['-x'], spec)).toThrow(/unknown option '-x'/);
    expect(() => parseArgs(['-o'], spec)).toThrow(/needs a value/);
    expect(() => parseArgs(['--json=1'], spec)).toThrow(/takes no value/);
  });
});

describe('ocular', () => {
  it('prints help and the version', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const c of [
      'detect',
      'segment',
      'upscale',
      'demo',
      'backends',
      'models',
      'inspect',
      'export',
      'parity',
      'conformance',
    ]) {
      expect(help.out).toContain(`  ${c}`);
    }
    expect((await cli('help', 'parity')).out).toContain('Usage: ocular parity');
    expect((await cli('parity', '--help')).out).toContain('--backends <list>');
    const v = await cli('--version');
    expect(v).toEqual({ code: 0, out: `${VERSION}\n`, err: '' });
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 with a message on stderr for an unknown command or option', async () => {
    const a = await cli('frobnicate');
    expect(a.code).toBe(2);
    expect(a.out).toBe('');
    expect(a.err).toMatch(/unknown command 'frobnicate'/);
    const b = await cli('backends', '--nope');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^ocular backends: usage: unknown option '--nope'/);
    expect((await cli()).code).toBe(2);
  });

  it('backends --json lists reference, node and wasm as available', async () => {
    const r = await cli('backends', '--json');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const doc = JSON.parse(r.out);
    expect(doc.command).toBe('backends');
    expect(doc.schemaVersion).toBe(1);
    const byName = Object.fromEntries(doc.backends.map((b: { name: string }) => [b.name, b]));
    for (const name of ['reference', 'node', 'wasm']) {
      expect(byName[name], name).toMatchObject({ name, available: true, reason: null });
      expect(Array.isArray(byName[name].unsupportedOps)).toBe(true);
    }
    expect(byName.node.description.engine).toBe('onnxruntime-node');
    expect(byName.wasm.description.engine).toBe('onnxruntime-web');
    // Highest priority first.
    expect(doc.backends.map((b: { name: string }) => b.name).slice(0, 3)).toEqual([
      'node',
      'wasm',
      'reference',
    ]);
  });

  it('backends prints a table', async () => {
    const r = await cli('backends');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^BACKEND\s+PRIORITY\s+AVAILABLE/);
    expect(r.out).toMatch(/\nnode\s+100\s+yes/);
  });

  it('parity --json passes the selected ops on node and wasm', async () => {
    const r = await cli('parity', '--ops', 'Conv,MaxPool,Transpose', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ command: 'parity', schemaVersion: 1, ok: true, reference: 'reference' });
    expect(doc.cases).toBeGreaterThan(3);
    expect(doc.backends.map((b: { name: string }) => b.name)).toEqual(['node', 'wasm']);
    for (const b of doc.backends) {
      expect(b.available).toBe(true);
      expect(b.report.failed).toBe(0);
      expect(b.report.passed).toBe(doc.cases);
      for (const c of b.report.results) expect(['Conv', 'MaxPool', 'Transpose']).toContain(c.op);
    }
  });

  it('parity exits 1 and names the backend when a requested backend is missing', async () => {
    const r = await cli('parity', '--ops', 'Transpose', '--backends', 'node,nosuch');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/nosuch: not available \(no backend named 'nosuch' is registered\)/);
    expect(r.out).toMatch(/parity: FAILED/);
  });

  it('parity with a glob matching nothing is a usage error', async () => {
    const r = await cli('parity', '--ops', 'NoSuchOp*');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no op case matches/);
  });

  it('parity --models runs registered models on node and wasm against the reference', async () => {
    const r = await cli('parity', '--models', 'ocular/resnet18', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ command: 'parity', mode: 'models', ok: true });
    expect(doc.models).toHaveLength(1);
    expect(doc.models[0].outputShape).toEqual([1, 10]);
    expect(doc.models[0].backends.map((b: { backend: string; ok: boolean }) => [b.backend, b.ok])).toEqual([
      ['node', true],
      ['wasm', true],
    ]);
    const none = await cli('parity', '--models', 'no_such_model*');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no registered model matches/);
  });
});
