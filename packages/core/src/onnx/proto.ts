/**
 * The subset of the ONNX protobuf schema (`onnx/onnx.proto`) Ocular reads and writes, as plain
 * objects, with decoders and encoders over the wire codec in `wire.ts`. Field numbers follow
 * onnx.proto; unknown fields are skipped when decoding, as protobuf specifies. Structures Ocular
 * cannot represent (sparse tensors, training info, model-local functions, type protos in
 * attributes) are counted rather than decoded so the importer can name them in its error.
 * @module
 */
import { OnnxError } from '../errors.js';
import { WireReader, WireType, WireWriter } from './wire.js';

/** `AttributeProto.AttributeType`. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

/** `TensorProto.DataLocation`. */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

/** Nesting limit for graphs inside attributes and types inside types: hostile files cannot exhaust the stack. */
const MAX_DEPTH = 32;

/** `OperatorSetIdProto`. */
export interface OperatorSetIdProto {
  domain: string;
  version: number;
}

/** `StringStringEntryProto`. */
export interface StringStringEntryProto {
  key: string;
  value: string;
}

/** `TensorShapeProto.Dimension`: `dimValue`, `dimParam`, or neither (unknown). */
export interface DimensionProto {
  dimValue?: number;
  dimParam?: string;
  denotation?: string;
}

/** `TypeProto.Tensor` (also used for `sparse_tensor_type`). `shape` undefined means unknown rank. */
export interface TensorTypeProto {
  elemType: number;
  shape?: DimensionProto[];
}

/** `TypeProto`: exactly one of the value fields is set in a valid file. */
export interface TypeProto {
  tensorType?: TensorTypeProto;
  sequenceType?: { elemType?: TypeProto };
  mapType?: { keyType: number; valueType?: TypeProto };
  optionalType?: { elemType?: TypeProto };
  sparseTensorType?: TensorTypeProto;
  /** True when an `opaque_type` was present. */
  opaque?: boolean;
  denotation?: string;
}

/** `ValueInfoProto`. */
export interface ValueInfoProto {
  name: string;
  type?: TypeProto;
  docString?: string;
}

/** `TensorProto`. Exactly one data field is normally used; the others stay empty. */
export interface TensorProto {
  name: string;
  dims: number[];
  dataType: number;
  rawData?: Uint8Array;
  floatData: number[];
  int32Data: number[];
  int64Data: bigint[];
  doubleData: number[];
  uint64Data: bigint[];
  stringData: Uint8Array[];
  externalData: StringStringEntryProto[];
  dataLocation: number;
  segment?: { begin: number; end: number };
  docString?: string;
}

/** `AttributeProto`. */
export interface AttributeProto {
  name: string;
  type: number;
  refAttrName?: string;
  docString?: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  g?: GraphProto;
  floats: number[];
  ints: number[];
  strings: Uint8Array[];
  tensors: TensorProto[];
  graphs: GraphProto[];
  /** Number of sparse tensor values (`sparse_tensor` and `sparse_tensors`); not decoded. */
  sparseTensorCount: number;
  /** Number of type protos (`tp` and `type_protos`); not decoded. */
  typeProtoCount: number;
}

/** `NodeProto`. */
export interface NodeProto {
  input: string[];
  output: string[];
  name: string;
  opType: string;
  domain: string;
  overload?: string;
  attribute: AttributeProto[];
  docString?: string;
}

/** `GraphProto`. */
export interface GraphProto {
  node: NodeProto[];
  name: string;
  initializer: TensorProto[];
  /** Number of sparse initializers; not decoded. */
  sparseInitializerCount: number;
  docString?: string;
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  valueInfo: ValueInfoProto[];
  metadataProps: StringStringEntryProto[];
}

/** `ModelProto`. */
export interface ModelProto {
  irVersion: number;
  opsetImport: OperatorSetIdProto[];
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  graph?: GraphProto;
  metadataProps: StringStringEntryProto[];
  /** Number of model-local functions (`functions`); not decoded. */
  functionCount: number;
  /** Number of `training_info` entries; not decoded. */
  trainingInfoCount: number;
}

// ---- decoding ---------------------------------------------------------------------------------

function decodeEntry(r: WireReader): StringStringEntryProto {
  const e: StringStringEntryProto = { key: '', value: '' };
  while (!r.done) {
    const [f, w] = r.tag();
    if (f === 1 && w === WireType.LEN) e.key = r.string();
    else if (f === 2 && w === WireType.LEN) e.value = r.string();
    else r.skip(w, f);
  }
  return e;
}

function decodeOpset(r: WireReader): OperatorSetIdProto {
  const o: OperatorSetIdProto = { domain: '', version: 0 };
  while (!r.done) {
    const [f, w] = r.tag();
    if (f === 1 && w === WireType.LEN) o.domain = r.string();
    else if (f === 2 && w === WireType.VARINT) o.version = r.int64();
    else r.skip(w, f);
  }
  return o;
}

/** A `TensorProto` with every field at its protobuf default (fresh empty lists), then `fields`. */
export function tensorProto(fields: Partial<TensorProto> = {}): TensorProto {
  return {
    name: '',
    dims: [],
    dataType: 0,
    floatData: [],
    int32Data: [],
    int64Data: [],
    doubleData: [],
    uint64Data: [],
    stringData: [],
    externalData: [],
    dataLocation: DataLocation.DEFAULT,
    ...fields,
  };
}

/** An `AttributeProto` with every field at its protobuf default (fresh empty lists), then `fields`. */
export function attributeProto(fields: Partial<AttributeProto> = {}): AttributeProto {
  return {
    name: '',
    type: AttributeType.UNDEFINED,
    floats: [],
    ints: [],
    strings: [],
    tensors: [],
    graphs: [],
    sparseTensorCount: 0,
    typeProtoCount: 0,
    ...fields,
  };
}

/** Decodes a serialized `TensorProto`. */
export function decodeTensorProto(bytes: Uint8Array): TensorProto {
  return readTensor(new WireReader(bytes, 0, bytes.length, 'TensorProto'));
}

function readTensor(r: WireReader): TensorProto {
  const t = tensorProto();
  while (!r.done) {
    const [f, w] = r.tag();
    switch (f) {
      case 1:
        r.repeatedVarint(w, t.dims, (x) => x.int64());
        break;
      case 2:
        r.expect(w, WireType.VARINT, 'data_type');
        t.dataType = r.int32();
        break;
      case 3: {
        r.expect(w, WireType.LEN, 'segment');
        const s = r.sub('TensorProto.Segment');
        const seg = { begin: 0, end: 0 };
        while (!s.done) {
          const [sf, sw] = s.tag();
          if (sf === 1 && sw === WireType.VARINT) seg.begin = s.int64();
          else if (sf === 2 && sw === WireType.VARINT) seg.end = s.int64();
          else s.skip(sw, sf);
        }
        t.segment = seg;
        break;
      }
      case 4:
        r.repeatedFloat(w, t.floatData);
        break;
      case 5:
        r.repeatedVarint(w, t.int32Data, (x) => x.int32());
        break;
      case 6:
        r.expect(w, WireType.LEN, 'string_data');
        t.stringData.push(r.bytes());
        break;
      case 7:
        r.repeatedVarint(w, t.int64Data, (x) => x.int64Big());
        break;
      case 8:
        r.expect(w, WireType.LEN, 'name');
        t.name = r.string();
        break;
      case 9:
        r.expect(w, WireType.LEN, 'raw_data');
        t.rawData = r.bytes();
        break;
      case 10:
        r.repeatedDouble(w, t.doubleData);
        break;
      case 11:
        r.repeatedVarint(w, t.uint64Data, (x) => x.uint64Big());
        break;
      case 12:
        r.expect(w, WireType.LEN, 'doc_string');
        t.docString = r.string();
        break;
      case 13:
        r.expect(w, WireType.LEN, 'external_data');
        t.externalData.push(decodeEntry(r.sub('StringStringEntryProto')));
        break;
      case 14:
        r.expect(w, WireType.VARINT, 'data_location');
        t.dataLocation = r.int32();
        break;
      default:
        r.skip(w, f);
    }
  }
  return t;
}

function readDims(r: WireReader): DimensionProto[] {
  const dims: DimensionProto[] = [];
  while (!r.done) {
    const [f, w] = r.tag();
    if (f === 1 && w === WireType.LEN) {
      const d = r.sub('TensorShapeProto.Dimension');
      const dim: DimensionProto = {};
      while (!d.done) {
        const [df, dw] = d.tag();
        if (df === 1 && dw === WireType.VARINT) {
          dim.dimValue = d.int64();
          dim.dimParam = undefined;
        } else if (df === 2 && dw === WireType.LEN) {
          dim.dimParam = d.string();
          dim.dimValue = undefined;
        } else if (df === 3 && dw === WireType.LEN) dim.denotation = d.string();
        else d.skip(dw, df);
      }
      dims.push(dim);
    } else r.skip(w, f);
  }
  return dims;
}

function readTensorType(r: WireReader): TensorTypeProto {
  const t: TensorTypeProto = { elemType: 0 };
  while (!r.done) {
    const [f, w] = r.tag();
    if (f === 1 && w === WireType.VARINT) t.elemType = r.int32();
    else if (f === 2 && w === WireType.LEN) t.shape = readDims(r.sub('TensorShapeProto'));
    else r.skip(w, f);
  }
  return t;
}

function readElem(r: WireReader, depth: number): { elemType?: TypeProto } {
  const out: { elemType?: TypeProto } = {};
  while (!r.done) {
    const [f, w] = r.tag();
    if (f === 1 && w === WireType.LEN) out.elemType = readType(r.sub('TypeProto'), depth + 1);
    else r.skip(w, f);
  }
  return out;
}

function readType(r: WireReader, depth: number): TypeProto {
  if (depth > MAX_DEPTH) throw new OnnxError(`TypeProto nested more than ${MAX_DEPTH} levels deep`);
  const t: TypeProto = {};
  while (!r.done) {
    const [f, w] = r.tag();
    if (w !== WireType.LEN) {
      r.skip(w, f);
      continue;
    }
    switch (f) {
      case 1:
        t.tensorType = readTensorType(r.sub('TypeProto.Tensor'));
        break;
      case 4:
        t.sequenceType = readElem(r.sub('TypeProto.Sequence'), depth);
        break;
      case 5: {
        const m = r.sub('TypeProto.Map');
        const map: { keyType: number; valueType?: TypeProto } = { keyType: 0 };
        while (!m.done) {
          const [mf, mw] = m.tag();
          if (mf === 1 && mw === WireType.VARINT) map.keyType = m.int32();
          else if (mf === 2 && mw === WireType.LEN) map.valueType = readType(m.sub('TypeProto'), depth + 1);
          else m.skip(mw, mf);
        }
        t.mapType = map;
        break;
      }
      case 6:
        t.denotation = r.string();
        break;
      case 7:
        r.skip(w, f);
        t.opaque = true;
        break;
      case 8:
        t.sparseTensorType = readTensorType(r.sub('TypeProto.SparseTensor'));
        break;
      case 9:
        t.optionalType = readElem(r.sub('TypeProto.Optional'), depth);
        break;
      default:
        r.skip(w, f);
    }
  }
  return t;
}

function readValueInfo(r: WireReader): ValueInfoProto {
  const v: ValueInfoProto = { name: '' };
  while (!r.done) {
    const [f, w] = r.tag();
    if (f === 1 && w === WireType.LEN) v.name = r.string();
    else if (f === 2 && w === WireType.LEN) v.type = readType(r.sub('TypeProto'), 0);
    else if (f === 3 && w === WireType.LEN) v.docString = r.string();
    else r.skip(w, f);
  }
  return v;
}

function readAttribute(r: WireReader, depth: number): AttributeProto {
  const a = attributeProto();
  while (!r.done) {
    const [f, w] = r.tag();
    switch (f) {
      case 1:
        r.expect(w, WireType.LEN, 'name');
        a.name = r.string();
        break;
      case 2:
        r.expect(w, WireType.I32, 'f');
        a.f = r.float();
        break;
      case 3:
        r.expect(w, WireType.VARINT, 'i');
        a.i = r.int64();
        break;
      case 4:
        r.expect(w, WireType.LEN, 's');
        a.s = r.bytes();
        break;
      case 5:
        r.expect(w, WireType.LEN, 't');
        a.t = readTensor(r.sub('TensorProto'));
        break;
      case 6:
        r.expect(w, WireType.LEN, 'g');
        a.g = readGraph(r.sub('GraphProto'), depth + 1);
        break;
      case 7:
        r.repeatedFloat(w, a.floats);
        break;
      case 8:
        r.repeatedVarint(w, a.ints, (x) => x.int64());
        break;
      case 9:
        r.expect(w, WireType.LEN, 'strings');
        a.strings.push(r.bytes());
        break;
      case 10:
        r.expect(w, WireType.LEN, 'tensors');
        a.tensors.push(readTensor(r.sub('TensorProto')));
        break;
      case 11:
        r.expect(w, WireType.LEN, 'graphs');
        a.graphs.push(readGraph(r.sub('GraphProto'), depth + 1));
        break;
      case 13:
        r.expect(w, WireType.LEN, 'doc_string');
        a.docString = r.string();
        break;
      case 14:
      case 15:
        r.skip(w, f);
        a.typeProtoCount++;
        break;
      case 20:
        r.expect(w, WireType.VARINT, 'type');
        a.type = r.int32();
        break;
      case 21:
        r.expect(w, WireType.LEN, 'ref_attr_name');
        a.refAttrName = r.string();
        break;
      case 22:
      case 23:
        r.skip(w, f);
        a.sparseTensorCount++;
        break;
      default:
        r.skip(w, f);
    }
  }
  return a;
}

function readNode(r: WireReader, depth: number): NodeProto {
  const n: NodeProto = { input: [], output: [], name: '', opType: '', domain: '', attribute: [] };
  while (!r.done) {
    const [f, w] = r.tag();
    if (w !== WireType.LEN) {
      r.skip(w, f);
      continue;
    }
    switch (f) {
      case 1:
        n.input.push(r.string());
        break;
      case 2:
        n.output.push(r.string());
        break;
      case 3:
        n.name = r.string();
        break;
      case 4:
        n.opType = r.string();
        break;
      case 5:
        n.attribute.push(readAttribute(r.sub('AttributeProto'), depth));
        break;
      case 6:
        n.docString = r.string();
        break;
      case 7:
        n.domain = r.string();
        break;
      case 8:
        n.overload = r.string();
        break;
      default:
        r.skip(w, f);
    }
  }
  return n;
}

function readGraph(r: WireReader, depth: number): GraphProto {
  if (depth > MAX_DEPTH) throw new OnnxError(`GraphProto nested more than ${MAX_DEPTH} levels deep`);
  const g: GraphProto = {
    node: [],
    name: '',
    initializer: [],
    sparseInitializerCount: 0,
    input: [],
    output: [],
    valueInfo: [],
    metadataProps: [],
  };
  while (!r.done) {
    const [f, w] = r.tag();
    if (w !== WireType.LEN) {
      r.skip(w, f);
      continue;
    }
    switch (f) {
      case 1:
        g.node.push(readNode(r.sub('NodeProto'), depth));
        break;
      case 2:
        g.name = r.string();
        break;
      case 5:
        g.initializer.push(readTensor(r.sub('TensorProto')));
        break;
      case 10:
        g.docString = r.string();
        break;
      case 11:
        g.input.push(readValueInfo(r.sub('ValueInfoProto')));
        break;
      case 12:
        g.output.push(readValueInfo(r.sub('ValueInfoProto')));
        break;
      case 13:
        g.valueInfo.push(readValueInfo(r.sub('ValueInfoProto')));
        break;
      case 15:
        r.skip(w, f);
        g.sparseInitializerCount++;
        break;
      case 16:
        g.metadataProps.push(decodeEntry(r.sub('StringStringEntryProto')));
        break;
      default:
        r.skip(w, f);
    }
  }
  return g;
}

/** Decodes a serialized `ModelProto`. Throws {@link OnnxError} on malformed bytes. */
export function decodeModelProto(bytes: Uint8Array): ModelProto {
  const r = new WireReader(bytes, 0, bytes.length, 'ModelProto');
  const m: ModelProto = {
    irVersion: 0,
    opsetImport: [],
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: 0,
    docString: '',
    metadataProps: [],
    functionCount: 0,
    trainingInfoCount: 0,
  };
  while (!r.done) {
    const [f, w] = r.tag();
    switch (f) {
      case 1:
        r.expect(w, WireType.VARINT, 'ir_version');
        m.irVersion = r.int64();
        break;
      case 2:
        r.expect(w, WireType.LEN, 'producer_name');
        m.producerName = r.string();
        break;
      case 3:
        r.expect(w, WireType.LEN, 'producer_version');
        m.producerVersion = r.string();
        break;
      case 4:
        r.expect(w, WireType.LEN, 'domain');
        m.domain = r.string();
        break;
      case 5:
        r.expect(w, WireType.VARINT, 'model_version');
        m.modelVersion = r.int64();
        break;
      case 6:
        r.expect(w, WireType.LEN, 'doc_string');
        m.docString = r.string();
        break;
      case 7:
        r.expect(w, WireType.LEN, 'graph');
        m.graph = readGraph(r.sub('GraphProto'), 0);
        break;
      case 8:
        r.expect(w, WireType.LEN, 'opset_import');
        m.opsetImport.push(decodeOpset(r.sub('OperatorSetIdProto')));
        break;
      case 14:
        r.expect(w, WireType.LEN, 'metadata_props');
        m.metadataProps.push(decodeEntry(r.sub('StringStringEntryProto')));
        break;
      case 20:
        r.skip(w, f);
        m.trainingInfoCount++;
        break;
      case 25:
        r.skip(w, f);
        m.functionCount++;
        break;
      default:
        r.skip(w, f);
    }
  }
  return m;
}

// ---- encoding ---------------------------------------------------------------------------------
// Fields are written in field-number order, as the reference protobuf implementation does;
// repeated scalars are packed only where onnx.proto declares `[packed = true]`.

function writeEntry(w: WireWriter, field: number, e: StringStringEntryProto): void {
  w.message(field, () => {
    w.stringField(1, e.key);
    w.stringField(2, e.value);
  });
}

/** Writes a `TensorProto` body (without its own key/length). */
function writeTensor(w: WireWriter, t: TensorProto): void {
  for (const d of t.dims) w.int64Field(1, d);
  w.int64Field(2, t.dataType);
  if (t.segment) {
    const seg = t.segment;
    w.message(3, () => {
      w.int64Field(1, seg.begin);
      w.int64Field(2, seg.end);
    });
  }
  w.packedFloat(4, t.floatData);
  w.packedInt64(5, t.int32Data);
  for (const s of t.stringData) w.bytesField(6, s);
  w.packedInt64(7, t.int64Data);
  if (t.name) w.stringField(8, t.name);
  if (t.rawData) w.bytesField(9, t.rawData);
  if (t.doubleData.length) {
    w.tag(10, WireType.LEN).varint(t.doubleData.length * 8);
    for (const d of t.doubleData) w.double(d);
  }
  w.packedInt64(11, t.uint64Data);
  if (t.docString) w.stringField(12, t.docString);
  for (const e of t.externalData) writeEntry(w, 13, e);
  if (t.dataLocation) w.int64Field(14, t.dataLocation);
}

/** Encodes a `TensorProto`. */
export function encodeTensorProto(t: TensorProto): Uint8Array {
  const w = new WireWriter();
  writeTensor(w, t);
  return w.finish();
}

function writeTensorType(w: WireWriter, t: TensorTypeProto): void {
  w.int64Field(1, t.elemType);
  const shape = t.shape;
  if (shape) {
    w.message(2, () => {
      for (const d of shape) {
        w.message(1, () => {
          if (d.dimValue !== undefined) w.int64Field(1, d.dimValue);
          else if (d.dimParam !== undefined) w.stringField(2, d.dimParam);
          if (d.denotation) w.stringField(3, d.denotation);
        });
      }
    });
  }
}

function writeType(w: WireWriter, t: TypeProto): void {
  if (t.tensorType) {
    const tt = t.tensorType;
    w.message(1, () => writeTensorType(w, tt));
  }
  if (t.sequenceType) {
    const e = t.sequenceType.elemType;
    w.message(4, () => {
      if (e) w.message(1, () => writeType(w, e));
    });
  }
  if (t.mapType) {
    const m = t.mapType;
    w.message(5, () => {
      w.int64Field(1, m.keyType);
      if (m.valueType) {
        const v = m.valueType;
        w.message(2, () => writeType(w, v));
      }
    });
  }
  if (t.denotation) w.stringField(6, t.denotation);
  if (t.sparseTensorType) {
    const st = t.sparseTensorType;
    w.message(8, () => writeTensorType(w, st));
  }
  if (t.optionalType) {
    const e = t.optionalType.elemType;
    w.message(9, () => {
      if (e) w.message(1, () => writeType(w, e));
    });
  }
}

function writeValueInfo(w: WireWriter, field: number, v: ValueInfoProto): void {
  w.message(field, () => {
    w.stringField(1, v.name);
    if (v.type) {
      const t = v.type;
      w.message(2, () => writeType(w, t));
    }
    if (v.docString) w.stringField(3, v.docString);
  });
}

function writeAttribute(w: WireWriter, a: AttributeProto): void {
  if (a.sparseTensorCount || a.typeProtoCount) {
    throw new OnnxError(`attribute '${a.name}': sparse tensors and type protos cannot be encoded`);
  }
  w.stringField(1, a.name);
  if (a.f !== undefined) w.floatField(2, a.f);
  if (a.i !== undefined) w.int64Field(3, a.i);
  if (a.s !== undefined) w.bytesField(4, a.s);
  if (a.t) {
    const t = a.t;
    w.message(5, () => writeTensor(w, t));
  }
  if (a.g) {
    const g = a.g;
    w.message(6, () => writeGraph(w, g));
  }
  for (const f of a.floats) w.floatField(7, f);
  for (const i of a.ints) w.int64Field(8, i);
  for (const s of a.strings) w.bytesField(9, s);
  for (const t of a.tensors) w.message(10, () => writeTensor(w, t));
  for (const g of a.graphs) w.message(11, () => writeGraph(w, g));
  if (a.docString) w.stringField(13, a.docString);
  w.int64Field(20, a.type);
  if (a.refAttrName) w.stringField(21, a.refAttrName);
}

function writeNode(w: WireWriter, n: NodeProto): void {
  for (const i of n.input) w.stringField(1, i);
  for (const o of n.output) w.stringField(2, o);
  if (n.name) w.stringField(3, n.name);
  w.stringField(4, n.opType);
  for (const a of n.attribute) w.message(5, () => writeAttribute(w, a));
  if (n.docString) w.stringField(6, n.docString);
  if (n.domain) w.stringField(7, n.domain);
  if (n.overload) w.stringField(8, n.overload);
}

function writeGraph(w: WireWriter, g: GraphProto): void {
  if (g.sparseInitializerCount)
    throw new OnnxError(`graph '${g.name}': sparse initializers cannot be encoded`);
  for (const n of g.node) w.message(1, () => writeNode(w, n));
  if (g.name) w.stringField(2, g.name);
  for (const t of g.initializer) w.message(5, () => writeTensor(w, t));
  if (g.docString) w.stringField(10, g.docString);
  for (const v of g.input) writeValueInfo(w, 11, v);
  for (const v of g.output) writeValueInfo(w, 12, v);
  for (const v of g.valueInfo) writeValueInfo(w, 13, v);
  for (const e of g.metadataProps) writeEntry(w, 16, e);
}

/** Encodes a `ModelProto`. Throws {@link OnnxError} when the result would exceed protobuf's 2 GiB limit. */
export function encodeModelProto(m: ModelProto): Uint8Array {
  if (m.functionCount || m.trainingInfoCount) {
    throw new OnnxError('model-local functions and training info cannot be encoded');
  }
  const w = new WireWriter();
  w.int64Field(1, m.irVersion);
  if (m.producerName) w.stringField(2, m.producerName);
  if (m.producerVersion) w.stringField(3, m.producerVersion);
  if (m.domain) w.stringField(4, m.domain);
  if (m.modelVersion) w.int64Field(5, m.modelVersion);
  if (m.docString) w.stringField(6, m.docString);
  if (m.graph) {
    const g = m.graph;
    w.message(7, () => writeGraph(w, g));
  }
  for (const o of m.opsetImport) {
    w.message(8, () => {
      if (o.domain) w.stringField(1, o.domain);
      w.int64Field(2, o.version);
    });
  }
  for (const e of m.metadataProps) writeEntry(w, 14, e);
  if (w.length > 2 ** 31 - 1) {
    throw new OnnxError(
      `the model is ${w.length} bytes; protobuf messages are limited to 2 GiB (external data is not supported)`,
    );
  }
  return w.finish();
}
