import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '@ocular/vitest-config/shared-data';
import { afterAll, describe, expect, it } from 'vitest';
import { env } from '../src/env.js';
import { SafetensorsError } from '../src/errors.js';
import {
  readSafetensors,
  readSafetensorsFile,
  readSafetensorsUrl,
  writeSafetensors,
} from '../src/io/index.js';
import { Tensor } from '../src/tensor.js';

const GOLDEN = sharedPath('reference/golden');
const enc = new TextEncoder();

/** Builds a safetensors file from a header object (or raw header text) and a data section. */
function build(header: unknown, data: Uint8Array | number = 0, lengthOverride?: bigint): Uint8Array {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const h = enc.encode(text);
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + h.length + body.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(body, 8 + h.length);
  return out;
}

const bytesOf = (s: string) => Array.from(enc.encode(s));
const le64 = (n: number) => [n & 0xff, (n >> 8) & 0xff, 0, 0, 0, 0, 0, 0];

describe('readSafetensors on the golden reference files', () => {
  const files = readdirSync(GOLDEN).filter((f) => f.endsWith('.safetensors'));

  it('finds the files', () => {
    expect(files.length).toBe(16);
  });

  it('matches every state-dict entry of the sidecar JSON (key, shape, dtype)', () => {
    for (const f of files) {
      const side = JSON.parse(readFileSync(join(GOLDEN, f.replace('.safetensors', '.json')), 'utf8'));
      const st = readSafetensors(readFileSync(join(GOLDEN, f)));
      if (side.state_dict) {
        const entries = side.state_dict.entries as [string, number[], string, string][];
        expect(entries.length, f).toBe(side.state_dict.count);
        for (const [key, shape, , dtype] of entries) {
          const info = st.info(key);
          expect([info.shape, info.dtype], `${f} ${key}`).toEqual([shape, dtype]);
        }
        const io = st.keys().filter((k) => k.startsWith('io.'));
        expect(st.keys().length, f).toBe(side.state_dict.count + io.length);
        expect(st.info('io.input').shape, f).toEqual(side.input.shape);
      } else {
        // Selective-scan cases list every tensor's shape.
        expect(st.keys().sort(), f).toEqual(Object.keys(side.shapes).sort());
        for (const [k, shape] of Object.entries(side.shapes))
          expect(st.info(k).shape, `${f} ${k}`).toEqual(shape);
      }
    }
  });

  it('decodes values and metadata of test_resnet', () => {
    const st = readSafetensors(readFileSync(join(GOLDEN, 'test_resnet.safetensors')));
    expect(st.keys().length).toBe(103);
    expect(st.metadata).toEqual({ format: 'pt', generator: 'refgen/golden.py', config: 'test_resnet' });
    const rv = st.get('conv1.1.running_var');
    expect(rv.dims).toEqual([16]);
    // Values decoded independently with numpy.
    expect(rv.toNumbers().slice(0, 3)).toEqual([0.8556214, 0.9451828, 0.51930594].map(Math.fround));
    // The perturbation rule puts every running_var in [0.5, 1.5).
    for (const k of st.keys().filter((k) => k.endsWith('running_var'))) {
      for (const v of st.get(k).toNumbers()) expect(v >= 0.5 && v < 1.5, k).toBe(true);
    }
    const nbt = st.get('conv1.1.num_batches_tracked');
    expect([nbt.dtype, nbt.dims, Array.from(nbt.data as BigInt64Array)]).toEqual(['int64', [], [0n]]);
    // The sidecar records the largest |logit| of the float64 forward.
    const side = JSON.parse(readFileSync(join(GOLDEN, 'test_resnet.json'), 'utf8'));
    const maxAbs = Math.max(...st.get('io.logits_f64').toNumbers().map(Math.abs));
    expect(maxAbs).toBeCloseTo(side.float32_vs_float64.logits.ref_max_abs_value, 6);
    expect(st.getAll().size).toBe(103);
  });

  it('returns tensors that own aligned copies of their data', () => {
    const bytes = readFileSync(join(GOLDEN, 'test_resnet.safetensors'));
    const t = readSafetensors(bytes).get('conv1.0.weight');
    expect(t.data.buffer).not.toBe(bytes.buffer);
    expect(t.data.byteOffset).toBe(0);
  });
});

describe('readSafetensorsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocular-st-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the header first and tensors lazily, with the same values as the buffer reader', async () => {
    const path = join(GOLDEN, 'test_vit.safetensors');
    const lazy = await readSafetensorsFile(path);
    const mem = readSafetensors(readFileSync(path));
    expect(lazy.keys()).toEqual(mem.keys());
    expect(lazy.metadata).toEqual(mem.metadata);
    for (const k of lazy.keys().slice(0, 10)) {
      expect(Array.from((await lazy.get(k)).data as Float32Array)).toEqual(
        Array.from(mem.get(k).data as Float32Array),
      );
    }
    expect((await lazy.getAll()).size).toBe(mem.keys().length);
  });

  it('rejects truncated files and missing files with SafetensorsError', async () => {
    const full = readFileSync(join(GOLDEN, 'selective_scan_L16.safetensors'));
    const cut = join(dir, 'cut.safetensors');
    writeFileSync(cut, full.subarray(0, full.length - 10));
    await expect(readSafetensorsFile(cut)).rejects.toThrow(SafetensorsError);
    await expect(readSafetensorsFile(cut)).rejects.toThrow(/run past the end of the data section/);
    const tiny = join(dir, 'tiny.safetensors');
    writeFileSync(tiny, Uint8Array.from([1, 2, 3]));
    await expect(readSafetensorsFile(tiny)).rejects.toThrow(/file is 3 bytes/);
    await expect(readSafetensorsFile(join(dir, 'nope.safetensors'))).rejects.toThrow(/cannot read/);
  });

  it('reports a file truncated after it was opened', async () => {
    const path = join(dir, 'shrinks.safetensors');
    const bytes = writeSafetensors({ a: Tensor.from('float32', [1, 2, 3, 4], [4]) });
    writeFileSync(path, bytes);
    const lazy = await readSafetensorsFile(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 4));
    await expect(lazy.get('a')).rejects.toThrow(/the file ended after 12 of 16 bytes/);
  });
});

describe('writeSafetensors', () => {
  it('writes the bytes of the reference implementation’s own test vectors', () => {
    const t = Tensor.from('float32', [0, 1, 2, 3, 4, 5], [1, 2, 3]);
    const json = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    const data = [0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64];
    expect(Array.from(writeSafetensors({ 'attn.0': t }))).toEqual([...le64(64), ...bytesOf(json), ...data]);
    // A 65-byte header is padded with 7 spaces to 72.
    const json2 = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ';
    expect(Array.from(writeSafetensors({ attn0: t.reshape([1, 1, 2, 3]) }))).toEqual([
      ...le64(72),
      ...bytesOf(json2),
      ...data,
    ]);
    expect(Array.from(writeSafetensors({}))).toEqual([...le64(8), ...bytesOf('{}      ')]);
    expect(Array.from(writeSafetensors(new Map(), { framework: 'pt' }))).toEqual([
      ...le64(40),
      ...bytesOf('{"__metadata__":{"framework":"pt"}}     '),
    ]);
  });

  it('orders tensors by dtype alignment (widest first), then by name', () => {
    const st = readSafetensors(
      writeSafetensors({
        c: Tensor.from('uint8', [1], [1]),
        a: Tensor.from('float32', [1], [1]),
        y: Tensor.from('float16', [1], [1]),
        b: Tensor.from('int64', [1n], [1]),
        z: Tensor.from('float64', [1], [1]),
        aa: Tensor.from('float32', [1], [1]),
      }),
    );
    expect(st.keys()).toEqual(['b', 'z', 'a', 'aa', 'y', 'c']);
    expect(st.keys().map((k) => st.info(k).dataOffsets)).toEqual([
      [0, 8],
      [8, 16],
      [16, 20],
      [20, 24],
      [24, 26],
      [26, 27],
    ]);
  });

  it('round-trips every supported dtype with metadata', () => {
    const tensors: Record<string, Tensor> = {
      f32: Tensor.from('float32', [1.5, -2, 3e-8], [3]),
      f16: Tensor.from('float16', [1, -0.5], [2]),
      bf16: Tensor.from('bfloat16', [3, -1], [1, 2]),
      f64: Tensor.from('float64', [Math.PI], []),
      i64: Tensor.from('int64', [-(2n ** 63n), 7n], [2]),
      i32: Tensor.from('int32', [-5, 6], [2]),
      i16: Tensor.from('int16', [-32768], [1]),
      i8: Tensor.from('int8', [-128, 127], [2]),
      u8: Tensor.from('uint8', [255], [1]),
      u16: Tensor.from('uint16', [65535], [1]),
      u32: Tensor.from('uint32', [2 ** 32 - 1], [1]),
      u64: Tensor.from('uint64', [2n ** 64n - 1n], [1]),
      bool: Tensor.from('bool', [1, 0, 1], [3]),
      f8: Tensor.from('float8e4m3fn', [0x38], [1]),
      empty: Tensor.zeros('float32', [0, 4]),
    };
    const meta = { 'model name': 'x', ünïcode: '"quoted"\n' };
    const st = readSafetensors(writeSafetensors(tensors, meta));
    expect(st.metadata).toEqual(meta);
    expect(st.keys().sort()).toEqual(Object.keys(tensors).sort());
    for (const [k, t] of Object.entries(tensors)) {
      const u = st.get(k);
      expect([u.dtype, u.dims], k).toEqual([t.dtype, t.dims]);
      expect(Array.from(u.data as ArrayLike<number | bigint>), k).toEqual(
        Array.from(t.data as ArrayLike<number | bigint>),
      );
    }
  });

  it('refuses what the format cannot hold', () => {
    expect(() => writeSafetensors({ __metadata__: Tensor.from('float32', [1], [1]) })).toThrow(
      SafetensorsError,
    );
    expect(() => writeSafetensors({ q: Tensor.from('int4', [1], [1]) })).toThrow(/tensor 'q' has dtype int4/);
    expect(() => writeSafetensors({}, { n: 1 as unknown as string })).toThrow(
      /metadata 'n' must be a string/,
    );
  });
});

describe('hostile safetensors headers', () => {
  const ok = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const bad = (bytes: Uint8Array | ArrayBuffer, pattern: RegExp) => {
    expect(() => readSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => readSafetensors(bytes)).toThrow(pattern);
  };

  it('accepts the well-formed baseline', () => {
    expect(readSafetensors(build(ok, 8)).get('a').dims).toEqual([2]);
    expect(readSafetensors(build(ok, 8).buffer as ArrayBuffer).keys()).toEqual(['a']);
  });

  it('rejects files shorter than the length prefix', () => {
    bad(new Uint8Array(0), /file is 0 bytes/);
    bad(Uint8Array.from([1, 0, 0]), /file is 3 bytes/);
  });

  it('rejects absurd and out-of-file header lengths before reading the header', () => {
    bad(build(ok, 8, 2n ** 60n), /header length 1152921504606846976 exceeds the 100000000-byte limit/);
    bad(build(ok, 8, 2n ** 64n - 1n), /exceeds/);
    bad(build(ok, 8, 100_000_001n), /exceeds/);
    bad(build(ok, 8, 5000n), /header length 5000 runs past the end of the file \(\d+ bytes\)/);
  });

  it('rejects headers that are not a UTF-8 JSON object', () => {
    const raw = build('{}');
    raw[8] = 0xff;
    bad(raw, /not valid UTF-8/);
    bad(build('{"a":'), /not valid JSON/);
    bad(build('[1,2]'), /must be a JSON object, got an array/);
    bad(build('null'), /must be a JSON object/);
  });

  it('rejects unknown and unsupported dtypes, naming the tensor', () => {
    bad(
      build({ w: { dtype: 'F128', shape: [1], data_offsets: [0, 16] } }, 16),
      /tensor 'w': unknown dtype "F128"/,
    );
    bad(
      build({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, 8),
      /tensor 'w': dtype C64 is not supported/,
    );
    bad(build({ w: { shape: [1], data_offsets: [0, 4] } }, 4), /tensor 'w': unknown dtype/);
    bad(build({ w: 5 }), /tensor 'w': entry must be an object/);
  });

  it('rejects invalid shapes and offsets', () => {
    bad(
      build({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4),
      /tensor 'w': shape must be an array of non-negative integers/,
    );
    bad(build({ w: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, 4), /shape must be/);
    bad(build({ w: { dtype: 'F32', shape: '2', data_offsets: [0, 4] } }, 4), /shape must be/);
    bad(
      build({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, 4),
      /tensor 'w': data_offsets must be \[begin, end\]/,
    );
    bad(build({ w: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4), /data_offsets must be/);
    bad(build({ w: { dtype: 'F32', shape: [1], data_offsets: [-4, 0] } }, 4), /data_offsets must be/);
  });

  it('rejects offsets outside the data section without allocating the claimed size', () => {
    // A billion floats claimed, 8 bytes present.
    bad(
      build({ w: { dtype: 'F32', shape: [1_000_000_000], data_offsets: [0, 4_000_000_000] } }, 8),
      /tensor 'w': data_offsets \[0, 4000000000\] run past the end of the data section \(8 bytes\)/,
    );
    bad(
      build({ w: { dtype: 'F32', shape: [2 ** 40, 2 ** 40], data_offsets: [0, 8] } }, 8),
      /tensor 'w': shape \[1099511627776, 1099511627776\] of F32 is too large/,
    );
  });

  it('rejects a dtype × shape that disagrees with the byte range', () => {
    bad(
      build({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8),
      /tensor 'w': F32\[3\] needs 12 bytes but data_offsets \[0, 8\] span 8/,
    );
  });

  it('rejects overlapping tensors, gaps and trailing bytes', () => {
    bad(
      build(
        {
          a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
        },
        8,
      ),
      /tensors 'a' \[0, 8\] and 'b' \[4, 8\] overlap/,
    );
    bad(
      build({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8),
      /bytes \[0, 4\) of the data section belong to no tensor/,
    );
    bad(build(ok, 12), /the data section is 12 bytes but the tensors cover 8/);
  });

  it('requires __metadata__ to map strings to strings', () => {
    bad(build({ __metadata__: { a: 1 }, ...ok }, 8), /__metadata__ must map strings to strings; 'a' holds 1/);
    bad(build({ __metadata__: ['x'], ...ok }, 8), /__metadata__ must be an object/);
  });

  it('names unknown keys', () => {
    expect(() => readSafetensors(build(ok, 8)).get('b')).toThrow(/no tensor named 'b'/);
  });

  it('refuses to decode a tensor larger than env.maxAllocationBytes', () => {
    const saved = env.maxAllocationBytes;
    env.maxAllocationBytes = 4;
    try {
      expect(() => readSafetensors(build(ok, 8)).get('a')).toThrow(/over env.maxAllocationBytes/);
    } finally {
      env.maxAllocationBytes = saved;
    }
  });
});

/** A fake HTTP server over `bytes`, honouring Range requests when `ranges` is set. */
function server(bytes: Uint8Array, opts: { ranges: boolean; lieTotal?: number }) {
  const log: { range?: string; sent: number }[] = [];
  const fetch = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const range = (init?.headers as Record<string, string> | undefined)?.Range;
    if (range && opts.ranges) {
      const m = /^bytes=(\d+)-(\d+)$/.exec(range)!;
      const start = Number(m[1]);
      if (start >= bytes.length) {
        log.push({ range, sent: 0 });
        return new Response(null, { status: 416 });
      }
      const end = Math.min(Number(m[2]), bytes.length - 1);
      const body = bytes.slice(start, end + 1);
      log.push({ range, sent: body.length });
      return new Response(body, {
        status: 206,
        headers: { 'content-range': `bytes ${start}-${end}/${opts.lieTotal ?? bytes.length}` },
      });
    }
    log.push({ range, sent: bytes.length });
    return new Response(bytes.slice(), { status: 200, headers: { 'content-length': String(bytes.length) } });
  };
  return { fetch: fetch as typeof globalThis.fetch, log };
}

describe('readSafetensorsUrl', () => {
  const bytes = new Uint8Array(readFileSync(join(GOLDEN, 'test_efficientnet.safetensors')));
  const mem = readSafetensors(bytes);

  it('reads the header with one range request and each tensor with its own', async () => {
    const s = server(bytes, { ranges: true });
    const st = await readSafetensorsUrl('https://example.test/m.safetensors', { fetch: s.fetch });
    expect(s.log).toEqual([{ range: 'bytes=0-65535', sent: 65536 }]);
    expect(st.keys()).toEqual(mem.keys());
    const key = mem.keys()[5]!;
    const t = await st.get(key);
    expect(Array.from(t.data as Float32Array)).toEqual(Array.from(mem.get(key).data as Float32Array));
    expect(s.log.length).toBe(2);
    expect(s.log[1]!.sent).toBe(mem.info(key).byteLength);
  });

  it('fetches the rest of a header longer than the first range', async () => {
    const big: Record<string, Tensor> = {};
    for (let i = 0; i < 2000; i++)
      big[`layer.${i}.a_fairly_long_parameter_name.weight`] = Tensor.from('float32', [i], [1]);
    const file = writeSafetensors(big);
    const s = server(file, { ranges: true });
    const st = await readSafetensorsUrl('https://example.test/big', { fetch: s.fetch });
    expect(s.log.length).toBe(2);
    expect(st.keys().length).toBe(2000);
    expect((await st.get('layer.1234.a_fairly_long_parameter_name.weight')).toNumbers()).toEqual([1234]);
  });

  it('downloads the file once when the server ignores ranges', async () => {
    const s = server(bytes, { ranges: false });
    const st = await readSafetensorsUrl('https://example.test/m.safetensors', { fetch: s.fetch });
    expect(s.log.length).toBe(1);
    const all = await st.getAll();
    expect(all.size).toBe(mem.keys().length);
    expect(s.log.length).toBe(1);
  });

  it('refuses a full download larger than env.maxAllocationBytes', async () => {
    const saved = env.maxAllocationBytes;
    env.maxAllocationBytes = 1000;
    try {
      const s = server(bytes, { ranges: false });
      await expect(readSafetensorsUrl('https://example.test/m', { fetch: s.fetch })).rejects.toThrow(
        /the response is \d+ bytes, more than the 1000 allowed/,
      );
    } finally {
      env.maxAllocationBytes = saved;
    }
  });

  it('validates the header against the size the server reports', async () => {
    const s = server(bytes, { ranges: true, lieTotal: bytes.length + 100 });
    await expect(readSafetensorsUrl('https://example.test/m', { fetch: s.fetch })).rejects.toThrow(
      /data section is \d+ bytes but the tensors cover/,
    );
  });

  it('reports HTTP errors and honours abort signals', async () => {
    const notFound = (async () => new Response('no', { status: 404 })) as typeof globalThis.fetch;
    await expect(readSafetensorsUrl('https://example.test/x', { fetch: notFound })).rejects.toThrow(
      /HTTP 404/,
    );
    const s = server(bytes, { ranges: true });
    const st = await readSafetensorsUrl('https://example.test/m', { fetch: s.fetch });
    const ac = new AbortController();
    ac.abort();
    await expect(st.get(mem.keys()[0]!, { signal: ac.signal })).rejects.toThrow(/aborted/);
  });
});
