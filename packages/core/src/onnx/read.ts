/**
 * ONNX import: `ModelProto` bytes to an Ocular {@link Graph}, and `TensorProto` bytes to a
 * {@link Tensor}. Everything the graph IR cannot represent (subgraphs, sequences, string
 * tensors, sparse or external data, model-local functions) is an {@link OnnxError} that names
 * the node, value or tensor, never a silent drop.
 * @module
 */
import { OnnxError } from '../errors.js';
import type { Attributes, AttrValue, Dim, Graph, Node, ValueInfo } from '../ir/graph.js';
import type { Tensor } from '../tensor.js';
import {
  type AttributeProto,
  AttributeType,
  decodeModelProto,
  decodeTensorProto,
  type NodeProto,
  type TypeProto,
  type ValueInfoProto,
} from './proto.js';
import { dtypeOfOnnx, tensorFromProto } from './tensor.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Prefix of the node `doc_string` the exporter writes to record a node's module scope. */
export const SCOPE_PREFIX = 'scope: ';

function text(b: Uint8Array, what: string): string {
  try {
    return utf8.decode(b);
  } catch {
    throw new OnnxError(`${what} is not valid UTF-8`);
  }
}

/** True for the default ONNX operator domain. */
function isDefaultDomain(domain: string): boolean {
  return domain === '' || domain === 'ai.onnx';
}

/** The kind of a non-tensor type, for error messages. */
function typeKind(t: TypeProto): string {
  if (t.sequenceType) return 'a sequence';
  if (t.optionalType) return 'an optional';
  if (t.mapType) return 'a map';
  if (t.sparseTensorType) return 'a sparse tensor';
  if (t.opaque) return 'an opaque value';
  return 'no type';
}

/** Converts a `ValueInfoProto` with a tensor type into a {@link ValueInfo}. */
export function valueInfoFromProto(v: ValueInfoProto, role: string): ValueInfo {
  const what = `${role} '${v.name}'`;
  const t = v.type;
  if (!t?.tensorType) {
    throw new OnnxError(`${what} is ${t ? typeKind(t) : 'untyped'}; only tensor values are supported`);
  }
  const dtype = dtypeOfOnnx(t.tensorType.elemType, what);
  const dims = t.tensorType.shape;
  if (!dims) throw new OnnxError(`${what} has no shape; values of unknown rank are not supported`);
  const shape: Dim[] = dims.map((d, i) => {
    if (d.dimValue !== undefined) {
      if (!Number.isSafeInteger(d.dimValue) || d.dimValue < 0) {
        throw new OnnxError(`${what} has invalid dimension ${d.dimValue} at axis ${i}`);
      }
      return d.dimValue;
    }
    // An unnamed unknown dim still needs a symbol; make it unique to the value and axis.
    return d.dimParam || `${v.name}_dim${i}`;
  });
  return { name: v.name, dtype, shape };
}

function attrValue(a: AttributeProto, where: string): AttrValue {
  const what = `${where}: attribute '${a.name}'`;
  if (a.refAttrName) {
    throw new OnnxError(
      `${what} refers to function attribute '${a.refAttrName}'; functions are not supported`,
    );
  }
  let type: number = a.type;
  if (type === AttributeType.UNDEFINED) {
    // IR version 1 had no type field: infer it from the field that is set, as ONNX does.
    if (a.f !== undefined) type = AttributeType.FLOAT;
    else if (a.i !== undefined) type = AttributeType.INT;
    else if (a.s !== undefined) type = AttributeType.STRING;
    else if (a.t) type = AttributeType.TENSOR;
    else if (a.g) type = AttributeType.GRAPH;
    else if (a.floats.length) type = AttributeType.FLOATS;
    else if (a.ints.length) type = AttributeType.INTS;
    else if (a.strings.length) type = AttributeType.STRINGS;
    else if (a.tensors.length) type = AttributeType.TENSORS;
    else if (a.graphs.length) type = AttributeType.GRAPHS;
    else throw new OnnxError(`${what} has no type and no value`);
  }
  switch (type) {
    case AttributeType.FLOAT:
      return a.f ?? 0;
    case AttributeType.INT:
      return a.i ?? 0;
    case AttributeType.STRING:
      return a.s ? text(a.s, what) : '';
    case AttributeType.TENSOR:
      if (!a.t) throw new OnnxError(`${what} is of type TENSOR but holds no tensor`);
      try {
        return tensorFromProto(a.t);
      } catch (err) {
        throw new OnnxError(`${what}: ${(err as Error).message}`);
      }
    case AttributeType.FLOATS:
      return a.floats;
    case AttributeType.INTS:
      return a.ints;
    case AttributeType.STRINGS:
      return a.strings.map((s, i) => text(s, `${what}[${i}]`));
    case AttributeType.GRAPH:
    case AttributeType.GRAPHS:
      throw new OnnxError(`${what} is a graph: subgraphs are not supported`);
    case AttributeType.TENSORS:
      throw new OnnxError(`${what} is a list of tensors (TENSORS), which is not supported`);
    case AttributeType.SPARSE_TENSOR:
    case AttributeType.SPARSE_TENSORS:
      throw new OnnxError(`${what} holds sparse tensors, which are not supported`);
    case AttributeType.TYPE_PROTO:
    case AttributeType.TYPE_PROTOS:
      throw new OnnxError(`${what} holds type protos, which are not supported`);
    default:
      throw new OnnxError(`${what} has unknown attribute type ${type}`);
  }
}

function nodeFromProto(n: NodeProto, index: number, usedNames: Set<string>): Node {
  // Node names are optional in ONNX; the IR needs one for error messages, so make one up.
  let name = n.name;
  if (!name || usedNames.has(name)) {
    const base = name || `${n.opType}_${index}`;
    name = base;
    for (let k = 1; usedNames.has(name); k++) name = `${base}_${k}`;
  }
  usedNames.add(name);
  const where = `node '${name}' (${n.opType})`;
  const attrs: Record<string, AttrValue> = {};
  for (const a of n.attribute) {
    if (!a.name) throw new OnnxError(`${where}: an attribute has no name`);
    if (Object.hasOwn(attrs, a.name)) throw new OnnxError(`${where}: attribute '${a.name}' is set twice`);
    attrs[a.name] = attrValue(a, where);
  }
  const node: Node = {
    name,
    opType: n.opType,
    ...(isDefaultDomain(n.domain) ? {} : { domain: n.domain }),
    inputs: [...n.input],
    outputs: [...n.output],
    attrs: attrs as Attributes,
    // The exporter records a node's module scope in its doc_string; bring it back.
    ...(n.docString?.startsWith(SCOPE_PREFIX) ? { scope: n.docString.slice(SCOPE_PREFIX.length) } : {}),
  };
  return node;
}

/**
 * Reads an ONNX model into a {@link Graph}: nodes in file order, initializers as tensors,
 * graph inputs excluding initializers, outputs, the default-domain opset, and
 * `metadata_props` as metadata. Attributes become plain values (INT/FLOAT → number,
 * INTS/FLOATS → number[], STRING → string, TENSOR → Tensor).
 *
 * Throws {@link OnnxError} for malformed bytes and for what the IR cannot represent:
 * subgraph attributes (Loop/If/Scan bodies), non-tensor values (sequences, optionals, maps),
 * string or complex tensors, sparse initializers, external data and model-local functions.
 */
export function readOnnxModel(bytes: Uint8Array): Graph {
  const m = decodeModelProto(bytes);
  const g = m.graph;
  if (!g) throw new OnnxError('the model has no graph');
  if (m.functionCount)
    throw new OnnxError(`the model defines ${m.functionCount} local function(s), which are not supported`);
  if (g.sparseInitializerCount) {
    throw new OnnxError(
      `graph '${g.name}' has ${g.sparseInitializerCount} sparse initializer(s), which are not supported`,
    );
  }
  const opset = m.opsetImport
    .filter((o) => isDefaultDomain(o.domain))
    .reduce((v, o) => Math.max(v, o.version), 0);
  if (!opset) throw new OnnxError('the model imports no default-domain (ai.onnx) opset');

  const initializers = new Map<string, Tensor>();
  for (const t of g.initializer) {
    if (!t.name) throw new OnnxError(`graph '${g.name}' has an initializer without a name`);
    if (initializers.has(t.name)) throw new OnnxError(`initializer '${t.name}' is defined twice`);
    initializers.set(t.name, tensorFromProto(t));
  }
  const inputs = g.input
    .filter((v) => !initializers.has(v.name))
    .map((v) => valueInfoFromProto(v, 'graph input'));
  const outputs = g.output.map((v) => valueInfoFromProto(v, 'graph output'));
  const valueInfo = new Map<string, ValueInfo>();
  for (const v of g.valueInfo) {
    // value_info is advisory: keep the tensor-typed entries with a known rank, skip the rest.
    if (!v.type?.tensorType?.shape) continue;
    try {
      valueInfo.set(v.name, valueInfoFromProto(v, 'value'));
    } catch {
      // A value_info entry Ocular cannot type (for example a string tensor) is advisory only.
    }
  }
  const usedNames = new Set<string>();
  const nodes = g.node.map((n, i) => nodeFromProto(n, i, usedNames));
  const metadata: Record<string, string> = {};
  for (const e of m.metadataProps) metadata[e.key] = e.value;
  return {
    name: g.name || 'graph',
    opset,
    inputs,
    outputs,
    nodes,
    initializers,
    valueInfo,
    metadata,
  };
}

/** Reads a serialized ONNX `TensorProto` (for example a node test's `input_0.pb`). */
export function readOnnxTensor(bytes: Uint8Array): Tensor {
  return tensorFromProto(decodeTensorProto(bytes));
}
