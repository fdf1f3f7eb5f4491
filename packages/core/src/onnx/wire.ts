/**
 * A small, dependency-free protobuf wire-format codec: just what the ONNX schema needs.
 *
 * The reader never trusts a length it reads: every length-delimited field, packed run and
 * fixed-width value is checked against the bytes that are actually left before anything is
 * sliced or allocated, and every failure is an {@link OnnxError} saying where it happened.
 * 64-bit varints are decoded as two 32-bit halves so `int64` values (negative ones are ten
 * bytes long on the wire) round-trip exactly through `bigint`.
 * @module
 */
import { OnnxError } from '../errors.js';

/** Protobuf wire types. */
export const WireType = {
  VARINT: 0,
  I64: 1,
  LEN: 2,
  SGROUP: 3,
  EGROUP: 4,
  I32: 5,
} as const;

/** One of the {@link WireType} values. */
export type WireTypeValue = (typeof WireType)[keyof typeof WireType];

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();
const TWO_32 = 4294967296;

/** Reads protobuf fields from a byte range. */
export class WireReader {
  /** Current read position (absolute index into `buf`). */
  pos: number;
  /** End of the readable range (exclusive). */
  readonly end: number;
  private view: DataView | undefined;

  /**
   * @param buf the bytes
   * @param start first byte of the message
   * @param end one past the last byte of the message
   * @param what what is being decoded, for error messages (`ModelProto`, `TensorProto`)
   */
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
    readonly what = 'message',
  ) {
    if (start < 0 || end > buf.length || start > end) {
      throw new OnnxError(`${what}: range [${start}, ${end}) is outside a buffer of ${buf.length} bytes`);
    }
    this.pos = start;
    this.end = end;
  }

  /** True when every byte of the range has been read. */
  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Bytes left in the range. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private fail(msg: string): never {
    throw new OnnxError(`${this.what}: ${msg} (at byte ${this.pos})`, { offset: this.pos });
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) {
      this.fail(`truncated ${what}: needs ${n} bytes, ${this.end - this.pos} left`);
    }
  }

  /**
   * Reads a varint as two unsigned 32-bit halves `[lo, hi]`. Throws on truncation and on
   * varints longer than 10 bytes (more than 64 bits).
   */
  varint64(): [number, number] {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    const buf = this.buf;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = buf[this.pos++]!;
      if (i < 4) {
        lo |= (b & 0x7f) << shift;
      } else if (i === 4) {
        // Bits 28..31 go to lo, bits 32..34 to hi.
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else {
        // The tenth byte may only carry bit 63.
        if (i === 9 && b & 0x7e) this.fail('varint overflows 64 bits');
        hi |= (b & 0x7f) << (shift - 32);
      }
      shift += 7;
      if (!(b & 0x80)) return [lo >>> 0, hi >>> 0];
    }
    this.fail('varint is longer than 10 bytes');
  }

  /** Reads a varint and returns its low 32 bits as an unsigned number (tags, enums, lengths). */
  uint32(): number {
    return this.varint64()[0];
  }

  /** Reads a protobuf `int32` (negative values are sign-extended 10-byte varints). */
  int32(): number {
    return this.varint64()[0] | 0;
  }

  /** Reads a varint as a non-negative length / count that must fit in a JS number. */
  length(): number {
    const [lo, hi] = this.varint64();
    if (hi > 0x1fffff) this.fail('length does not fit in 53 bits');
    return hi * TWO_32 + lo;
  }

  /** Reads a protobuf `int64` exactly. */
  int64Big(): bigint {
    const [lo, hi] = this.varint64();
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  /** Reads a protobuf `uint64` exactly. */
  uint64Big(): bigint {
    const [lo, hi] = this.varint64();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /**
   * Reads a protobuf `int64` as a JS number. Values beyond ±2^53 lose precision (ONNX uses
   * INT64_MAX/MIN as "to the end" markers, which stay far outside any real index).
   */
  int64(): number {
    const [lo, hi] = this.varint64();
    if (hi & 0x80000000) {
      // Negative: two's complement of the 64-bit value.
      const nlo = ~lo >>> 0;
      const nhi = ~hi >>> 0;
      return -(nhi * TWO_32 + nlo + 1);
    }
    return hi * TWO_32 + lo;
  }

  /** Reads a varint-encoded bool. */
  bool(): boolean {
    const [lo, hi] = this.varint64();
    return lo !== 0 || hi !== 0;
  }

  private dv(): DataView {
    if (!this.view) this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    return this.view;
  }

  /** Reads a little-endian `float` (fixed32). */
  float(): number {
    this.need(4, 'fixed32');
    const v = this.dv().getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Reads a little-endian `double` (fixed64). */
  double(): number {
    this.need(8, 'fixed64');
    const v = this.dv().getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a little-endian `fixed32`. */
  fixed32(): number {
    this.need(4, 'fixed32');
    const v = this.dv().getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Reads a little-endian `fixed64` as an unsigned bigint. */
  fixed64(): bigint {
    this.need(8, 'fixed64');
    const v = this.dv().getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a length-delimited field and returns a view of its bytes (no copy). */
  bytes(): Uint8Array {
    const n = this.length();
    this.need(n, 'length-delimited field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads a length-delimited UTF-8 string; invalid UTF-8 is an error. */
  string(): string {
    const b = this.bytes();
    if (b.length === 0) return '';
    try {
      return utf8Decoder.decode(b);
    } catch {
      this.fail('string field is not valid UTF-8');
    }
  }

  /** Reads a length-delimited field as a reader over its bytes (for nested messages). */
  sub(what: string): WireReader {
    const n = this.length();
    this.need(n, `${what} message`);
    const r = new WireReader(this.buf, this.pos, this.pos + n, what);
    this.pos += n;
    return r;
  }

  /** Reads a field key. Returns `[fieldNumber, wireType]`; field number 0 is invalid. */
  tag(): [number, number] {
    const [lo, hi] = this.varint64();
    if (hi !== 0) this.fail('field key does not fit in 32 bits');
    const field = lo >>> 3;
    const wire = lo & 7;
    if (field === 0) this.fail('field number 0 is invalid');
    return [field, wire];
  }

  /** Skips a field's value of the given wire type (unknown fields are ignored, as protobuf does). */
  skip(wire: number, field = 0, depth = 0): void {
    switch (wire) {
      case WireType.VARINT:
        this.varint64();
        return;
      case WireType.I64:
        this.need(8, 'fixed64');
        this.pos += 8;
        return;
      case WireType.LEN: {
        const n = this.length();
        this.need(n, 'length-delimited field');
        this.pos += n;
        return;
      }
      case WireType.I32:
        this.need(4, 'fixed32');
        this.pos += 4;
        return;
      case WireType.SGROUP: {
        if (depth > 64) this.fail('groups nested too deeply');
        for (;;) {
          if (this.done) this.fail(`unterminated group ${field}`);
          const [f, w] = this.tag();
          if (w === WireType.EGROUP) {
            if (f !== field) this.fail(`group ${field} closed by end-group ${f}`);
            return;
          }
          this.skip(w, f, depth + 1);
        }
      }
      default:
        this.fail(`invalid wire type ${wire}${field ? ` for field ${field}` : ''}`);
    }
  }

  /**
   * Reads a repeated varint field that may be packed (`LEN`) or not (`VARINT`), pushing each
   * element decoded by `read` into `out`.
   */
  repeatedVarint<T>(wire: number, out: T[], read: (r: WireReader) => T): void {
    if (wire === WireType.LEN) {
      const r = this.sub('packed field');
      while (!r.done) out.push(read(r));
    } else if (wire === WireType.VARINT) {
      out.push(read(this));
    } else {
      this.fail(`repeated varint field has wire type ${wire}`);
    }
  }

  /** Reads a repeated `float` field, packed or not. */
  repeatedFloat(wire: number, out: number[]): void {
    if (wire === WireType.LEN) {
      const b = this.bytes();
      if (b.length % 4) this.fail(`packed float field of ${b.length} bytes is not a multiple of 4`);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < b.length; i += 4) out.push(dv.getFloat32(i, true));
    } else if (wire === WireType.I32) {
      out.push(this.float());
    } else {
      this.fail(`repeated float field has wire type ${wire}`);
    }
  }

  /** Reads a repeated `double` field, packed or not. */
  repeatedDouble(wire: number, out: number[]): void {
    if (wire === WireType.LEN) {
      const b = this.bytes();
      if (b.length % 8) this.fail(`packed double field of ${b.length} bytes is not a multiple of 8`);
      const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < b.length; i += 8) out.push(dv.getFloat64(i, true));
    } else if (wire === WireType.I64) {
      out.push(this.double());
    } else {
      this.fail(`repeated double field has wire type ${wire}`);
    }
  }

  /** Throws unless `wire` is `expected` (a field arrived with the wrong encoding). */
  expect(wire: number, expected: number, field: string): void {
    if (wire !== expected) this.fail(`field '${field}' has wire type ${wire}, expected ${expected}`);
  }
}

const SCRATCH = 8192;

/** Encodes a non-negative safe integer as a varint into `out` at `o`; returns the new offset. */
function putVarint(out: Uint8Array, o: number, n: number): number {
  while (n > 0x7f) {
    out[o++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[o++] = n;
  return o;
}

/** The key of a length-delimited field followed by its length. */
function keyAndLength(field: number, size: number): Uint8Array {
  const tmp = new Uint8Array(20);
  const o = putVarint(tmp, putVarint(tmp, 0, field * 8 + WireType.LEN), size);
  return tmp.subarray(0, o);
}

/**
 * Builds protobuf bytes. Large byte payloads (tensor data) are kept by reference, not
 * copied, until {@link WireWriter.finish}; nested messages are length-prefixed with
 * {@link WireWriter.fork} / {@link WireWriter.join} without re-encoding their contents.
 */
export class WireWriter {
  private parts: (Uint8Array | null)[] = [];
  private cur = new Uint8Array(SCRATCH);
  private curStart = 0;
  private curPos = 0;
  private total = 0;
  private forks: { index: number; total: number; field: number }[] = [];
  private readonly dv = new DataView(new ArrayBuffer(8));

  /** Bytes written so far (including pending nested-message headers already joined). */
  get length(): number {
    return this.total + (this.curPos - this.curStart);
  }

  private ensure(n: number): void {
    if (this.curPos + n <= this.cur.length) return;
    this.flush();
    this.cur = new Uint8Array(Math.max(SCRATCH, n));
    this.curStart = 0;
    this.curPos = 0;
  }

  private flush(): void {
    if (this.curPos > this.curStart) {
      this.parts.push(this.cur.subarray(this.curStart, this.curPos));
      this.total += this.curPos - this.curStart;
      this.curStart = this.curPos;
    }
  }

  private rawByte(b: number): void {
    this.cur[this.curPos++] = b;
  }

  /** Writes an unsigned varint from a non-negative safe integer. */
  varint(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) throw new OnnxError(`cannot encode ${n} as an unsigned varint`);
    this.ensure(10);
    if (n < TWO_32) {
      let v = n >>> 0;
      while (v > 0x7f) {
        this.rawByte((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      this.rawByte(v);
      return this;
    }
    return this.varint64(BigInt(n));
  }

  /** Writes a 64-bit varint from a bigint (negative values as 10-byte two's complement). */
  varint64(v: bigint): this {
    let u = BigInt.asUintN(64, v);
    this.ensure(10);
    while (u > 0x7fn) {
      this.rawByte(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    this.rawByte(Number(u));
    return this;
  }

  /** Writes a protobuf `int64` from a number or bigint. Numbers must be integers within ±2^63. */
  int64(v: number | bigint): this {
    if (typeof v === 'bigint') return this.varint64(v);
    if (!Number.isInteger(v)) throw new OnnxError(`cannot encode ${v} as int64`);
    if (v >= 0 && v < TWO_32) return this.varint(v);
    if (Math.abs(v) > 2 ** 63) throw new OnnxError(`${v} does not fit in int64`);
    // Exactly 2^63 (from Number(INT64_MAX)) clamps to INT64_MAX.
    return this.varint64(v === 2 ** 63 ? 0x7fffffffffffffffn : BigInt(v));
  }

  /** Writes a field key. */
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** Writes a little-endian float. */
  float(v: number): this {
    this.ensure(4);
    this.dv.setFloat32(0, v, true);
    for (let i = 0; i < 4; i++) this.rawByte(this.dv.getUint8(i));
    return this;
  }

  /** Writes a little-endian double. */
  double(v: number): this {
    this.ensure(8);
    this.dv.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.rawByte(this.dv.getUint8(i));
    return this;
  }

  /** Writes raw bytes (no length prefix). Large payloads are kept by reference. */
  raw(b: Uint8Array): this {
    if (b.length <= 256) {
      this.ensure(b.length);
      this.cur.set(b, this.curPos);
      this.curPos += b.length;
    } else {
      this.flush();
      this.parts.push(b);
      this.total += b.length;
    }
    return this;
  }

  /** Writes a length-delimited bytes field. */
  bytesField(field: number, b: Uint8Array): this {
    this.tag(field, WireType.LEN).varint(b.length);
    return this.raw(b);
  }

  /** Writes a string field. */
  stringField(field: number, s: string): this {
    return this.bytesField(field, utf8Encoder.encode(s));
  }

  /** Writes a varint field from a non-negative integer. */
  uintField(field: number, n: number): this {
    return this.tag(field, WireType.VARINT).varint(n);
  }

  /** Writes an `int64`/`int32` field (negative values as 10-byte varints, as protobuf does). */
  int64Field(field: number, v: number | bigint): this {
    return this.tag(field, WireType.VARINT).int64(v);
  }

  /** Writes a `float` field. */
  floatField(field: number, v: number): this {
    return this.tag(field, WireType.I32).float(v);
  }

  /** Writes a packed repeated `int64` field (nothing for an empty list). */
  packedInt64(field: number, values: ArrayLike<number | bigint>): this {
    if (values.length === 0) return this;
    this.fork(field);
    for (let i = 0; i < values.length; i++) this.int64(values[i]!);
    return this.join();
  }

  /** Writes a packed repeated `float` field (nothing for an empty list). */
  packedFloat(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    this.tag(field, WireType.LEN).varint(values.length * 4);
    for (let i = 0; i < values.length; i++) this.float(values[i]!);
    return this;
  }

  /** Starts a nested message (or packed run) for `field`; close it with {@link join}. */
  fork(field: number): this {
    this.flush();
    this.forks.push({ index: this.parts.length, total: this.total, field });
    this.parts.push(null);
    return this;
  }

  /** Closes the innermost {@link fork}, writing its key and length in front of its bytes. */
  join(): this {
    const f = this.forks.pop();
    if (!f) throw new OnnxError('WireWriter.join without fork');
    this.flush();
    const size = this.total - f.total;
    const h = keyAndLength(f.field, size);
    this.parts[f.index] = h;
    this.total += h.length;
    return this;
  }

  /** Writes a nested message built by `body`. */
  message(field: number, body: (w: this) => void): this {
    this.fork(field);
    body(this);
    return this.join();
  }

  /** The bytes written, as one array. */
  finish(): Uint8Array {
    if (this.forks.length) throw new OnnxError('WireWriter.finish with an unclosed fork');
    this.flush();
    const out = new Uint8Array(this.total);
    let o = 0;
    for (const p of this.parts) {
      if (!p) continue;
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
