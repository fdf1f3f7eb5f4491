import { describe, expect, it } from 'vitest';
import { OnnxError } from '../src/errors.js';
import { WireReader, WireType, WireWriter } from '../src/onnx/wire.js';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('WireWriter', () => {
  it('encodes varints as the protobuf spec examples', () => {
    // Field 1 = 150 is the protobuf documentation's example: 08 96 01.
    expect(Array.from(new WireWriter().uintField(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new WireWriter().varint(300).finish())).toEqual([0xac, 0x02]);
    expect(Array.from(new WireWriter().varint(0).finish())).toEqual([0]);
    expect(Array.from(new WireWriter().varint(2 ** 32).finish())).toEqual([0x80, 0x80, 0x80, 0x80, 0x10]);
  });

  it('encodes negative int64 as ten bytes of two’s complement', () => {
    expect(Array.from(new WireWriter().int64(-1).finish())).toEqual([
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ]);
    expect(Array.from(new WireWriter().int64(-(2n ** 63n)).finish())).toEqual([
      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
    ]);
  });

  it('writes strings and nested messages with their lengths', () => {
    // Protobuf docs example: field 2 = "testing" → 12 07 74 65 73 74 69 6e 67.
    expect(Array.from(new WireWriter().stringField(2, 'testing').finish())).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67,
    ]);
    // Field 3 holding a message with field 1 = 150 → 1a 03 08 96 01.
    const w = new WireWriter();
    w.message(3, () => w.uintField(1, 150));
    expect(Array.from(w.finish())).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });

  it('packs repeated int64 and float fields', () => {
    // Protobuf docs example: packed field 4 = [3, 270, 86942] → 22 06 03 8e 02 9e a7 05.
    expect(Array.from(new WireWriter().packedInt64(4, [3, 270, 86942]).finish())).toEqual([
      0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05,
    ]);
    expect(Array.from(new WireWriter().packedFloat(1, [1]).finish())).toEqual([0x0a, 0x04, 0, 0, 0x80, 0x3f]);
    expect(new WireWriter().packedInt64(4, []).finish().length).toBe(0);
  });

  it('keeps large payloads by reference and nests deeply with correct lengths', () => {
    const big = new Uint8Array(100_000).map((_, i) => i & 0xff);
    const w = new WireWriter();
    w.message(1, () => {
      w.message(2, () => {
        w.bytesField(3, big);
        w.stringField(4, 'tail');
      });
    });
    const out = w.finish();
    const r = new WireReader(out);
    expect(r.tag()).toEqual([1, WireType.LEN]);
    const m1 = r.sub('m1');
    expect(m1.tag()).toEqual([2, WireType.LEN]);
    const m2 = m1.sub('m2');
    expect(m2.tag()).toEqual([3, WireType.LEN]);
    expect(Buffer.compare(m2.bytes(), big)).toBe(0);
    expect(m2.tag()).toEqual([4, WireType.LEN]);
    expect(m2.string()).toBe('tail');
    expect(m2.done && m1.done && r.done).toBe(true);
  });

  it('rejects values it cannot encode', () => {
    expect(() => new WireWriter().varint(-1)).toThrow(OnnxError);
    expect(() => new WireWriter().varint(1.5)).toThrow(OnnxError);
    expect(() => new WireWriter().int64(2 ** 64)).toThrow(OnnxError);
  });
});

describe('WireReader', () => {
  it('round-trips int64 edge values through the writer', () => {
    const cases = [
      0n,
      1n,
      127n,
      128n,
      300n,
      2n ** 31n - 1n,
      -(2n ** 31n),
      2n ** 53n - 1n,
      -1n,
      2n ** 63n - 1n,
      -(2n ** 63n),
    ];
    const w = new WireWriter();
    for (const v of cases) w.int64(v);
    const r = new WireReader(w.finish());
    for (const v of cases) expect(r.int64Big()).toBe(v);
    expect(r.done).toBe(true);
  });

  it('reads int64 as numbers, including negatives', () => {
    const w = new WireWriter();
    for (const v of [0, -1, -2, 5, -(2 ** 40), 2 ** 52 + 3]) w.int64(v);
    const r = new WireReader(w.finish());
    expect([r.int64(), r.int64(), r.int64(), r.int64(), r.int64(), r.int64()]).toEqual([
      0,
      -1,
      -2,
      5,
      -(2 ** 40),
      2 ** 52 + 3,
    ]);
  });

  it('reads int32 fields written as sign-extended 10-byte varints', () => {
    const r = new WireReader(bytes(0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
    expect(r.int32()).toBe(-2);
  });

  it('reads uint64 values above 2^63', () => {
    const r = new WireReader(new WireWriter().varint64(2n ** 64n - 1n).finish());
    expect(r.uint64Big()).toBe(2n ** 64n - 1n);
  });

  it('reads fixed32/fixed64/float/double little-endian', () => {
    const r = new WireReader(
      bytes(
        0x01,
        0x02,
        0x03,
        0x04,
        0,
        0,
        0x80,
        0x3f,
        0,
        0,
        0,
        0,
        0,
        0,
        0xf0,
        0x3f,
        1,
        0,
        0,
        0,
        0,
        0,
        0,
        0x80,
      ),
    );
    expect(r.fixed32()).toBe(0x04030201);
    expect(r.float()).toBe(1);
    expect(r.double()).toBe(1);
    expect(r.fixed64()).toBe(2n ** 63n + 1n);
  });

  it('throws OnnxError on truncated and overlong varints', () => {
    expect(() => new WireReader(bytes(0x80, 0x80)).uint32()).toThrow(/truncated varint/);
    expect(() => new WireReader(bytes(...new Array(10).fill(0xff), 0x01)).uint32()).toThrow(OnnxError);
    // A tenth byte may only carry bit 63.
    expect(() => new WireReader(bytes(...new Array(9).fill(0xff), 0x02)).int64Big()).toThrow(
      /overflows 64 bits/,
    );
    expect(() => new WireReader(bytes()).uint32()).toThrow(OnnxError);
  });

  it('checks every length against the bytes left, before slicing', () => {
    // Field 1, LEN, length 5 with only 2 bytes following.
    const r = new WireReader(bytes(0x0a, 0x05, 1, 2));
    r.tag();
    expect(() => r.bytes()).toThrow(/truncated length-delimited field: needs 5 bytes, 2 left/);
    // An absurd length (2^50) fails at once instead of allocating.
    const huge = new WireWriter()
      .tag(1, WireType.LEN)
      .varint(2 ** 50)
      .finish();
    const h = new WireReader(huge);
    h.tag();
    expect(() => h.sub('TensorProto')).toThrow(OnnxError);
    // Lengths beyond 2^53 are rejected as lengths.
    const r2 = new WireReader(new WireWriter().varint64(2n ** 60n).finish());
    expect(() => r2.length()).toThrow(/53 bits/);
  });

  it('checks fixed-width reads and packed runs', () => {
    expect(() => new WireReader(bytes(1, 2, 3)).float()).toThrow(/truncated fixed32/);
    expect(() => new WireReader(bytes(1, 2, 3, 4, 5, 6, 7)).double()).toThrow(/truncated fixed64/);
    const r = new WireReader(bytes(0x03, 1, 2, 3));
    expect(() => r.repeatedFloat(WireType.LEN, [])).toThrow(/not a multiple of 4/);
  });

  it('reads repeated fields both packed and unpacked', () => {
    const out: number[] = [];
    const packed = new WireReader(new WireWriter().packedInt64(8, [1, -1, 300]).finish());
    let [, w] = packed.tag();
    packed.repeatedVarint(w, out, (x) => x.int64());
    const unpacked = new WireReader(new WireWriter().int64Field(8, 7).finish());
    [, w] = unpacked.tag();
    unpacked.repeatedVarint(w, out, (x) => x.int64());
    expect(out).toEqual([1, -1, 300, 7]);
    const floats: number[] = [];
    const f = new WireReader(new WireWriter().floatField(7, 0.5).finish());
    [, w] = f.tag();
    f.repeatedFloat(w, floats);
    expect(floats).toEqual([0.5]);
  });

  it('skips unknown fields of every wire type, including groups', () => {
    const w = new WireWriter();
    w.uintField(9, 12345);
    w.tag(10, WireType.I64).double(1);
    w.tag(11, WireType.I32).float(1);
    w.stringField(12, 'skip me');
    // Group 13 containing field 1 = 1, then end-group 13.
    w.tag(13, WireType.SGROUP).uintField(1, 1).tag(13, WireType.EGROUP);
    w.uintField(1, 42);
    const r = new WireReader(w.finish());
    let value = -1;
    while (!r.done) {
      const [f, wt] = r.tag();
      if (f === 1) value = r.uint32();
      else r.skip(wt, f);
    }
    expect(value).toBe(42);
  });

  it('rejects invalid wire types, field number 0 and mismatched groups', () => {
    expect(() => new WireReader(bytes(0x0e)).skip(6)).toThrow(/invalid wire type 6/);
    expect(() => new WireReader(bytes(0x00)).tag()).toThrow(/field number 0/);
    const g = new WireWriter().tag(1, WireType.SGROUP).tag(2, WireType.EGROUP).finish();
    const r = new WireReader(g);
    const [f, wt] = r.tag();
    expect(() => r.skip(wt, f)).toThrow(/group 1 closed by end-group 2/);
    const open = new WireReader(new WireWriter().tag(1, WireType.SGROUP).finish());
    const [f2, w2] = open.tag();
    expect(() => open.skip(w2, f2)).toThrow(/unterminated group/);
  });

  it('rejects strings that are not UTF-8', () => {
    const r = new WireReader(bytes(0x02, 0xc3, 0x28));
    expect(() => r.string()).toThrow(/not valid UTF-8/);
  });

  it('rejects a range outside the buffer', () => {
    expect(() => new WireReader(bytes(1, 2), 0, 5)).toThrow(OnnxError);
  });
});
