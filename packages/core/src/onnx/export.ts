/**
 * ONNX export: an Ocular {@link Graph} and its weights to `ModelProto` bytes that onnxruntime
 * loads. Attribute types (INT vs FLOAT, INTS vs FLOATS) come from the op schemas, weights are
 * written as little-endian `raw_data`, and the graph is validated first so a dangling value
 * is a {@link GraphError} naming the node rather than an opaque onnxruntime failure.
 * @module
 */

import { type DType, dtypeToOnnx, isDType } from '../dtype.js';
import { GraphError, NotImplementedError, OcularError, OnnxError } from '../errors.js';
import type { AttrValue, Dim, Graph, Node, ValueInfo } from '../ir/graph.js';
import { type AttrType, getOpSchema } from '../ir/schema.js';
import { Tensor } from '../tensor.js';
import { exportOpset } from './opset.js';
import {
  type AttributeProto,
  AttributeType,
  attributeProto,
  encodeModelProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type ValueInfoProto,
} from './proto.js';
import { SCOPE_PREFIX } from './read.js';
import { tensorToProto } from './tensor.js';

/** Options of {@link graphToOnnx}. */
export interface OnnxExportOptions {
  /** `producer_name` (default `ocular`). */
  producerName?: string;
  /** `producer_version` (default empty). */
  producerVersion?: string;
  /** Model `doc_string`. */
  docString?: string;
  /**
   * Make the first dimension of every graph input and output symbolic (`batch`), so the model
   * accepts any batch size. The graph itself must not bake the batch size into constants
   * (trace with a symbolic batch dim for that). Intermediate `value_info` is then omitted so
   * static batch sizes recorded while tracing do not conflict with the dynamic ones.
   */
  dynamicBatch?: boolean;
  /** Not supported: weights are always embedded (models are limited to 2 GiB). */
  externalData?: never;
}

/** ONNX IR version released together with a default-domain opset (onnx's version table). */
function irVersionForOpset(opset: number): number {
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  if (opset <= 24) return 11;
  if (opset === 25) return 12;
  return 13;
}

/** IR version that introduced a dtype (float8: 9, int4/uint4: 10, float4e2m1: 11, float8e8m0: 12, int2/uint2: 13). */
function irVersionForDType(dtype: DType): number {
  switch (dtype) {
    case 'float8e4m3fn':
    case 'float8e4m3fnuz':
    case 'float8e5m2':
    case 'float8e5m2fnuz':
      return 9;
    case 'int4':
    case 'uint4':
      return 10;
    case 'float4e2m1':
      return 11;
    case 'float8e8m0':
      return 12;
    case 'int2':
    case 'uint2':
      return 13;
    default:
      return 3;
  }
}

function isDefaultDomain(domain: string | undefined): boolean {
  return !domain || domain === 'ai.onnx';
}

function nodeLabel(node: Node, index: number): string {
  return `node '${node.name}' (${node.opType}, #${index})`;
}

/**
 * Checks that every node input is a graph input, an initializer or an output of an earlier
 * node, that no value is produced twice, and that every graph output is produced. Throws
 * {@link GraphError} naming the node or value.
 */
export function validateGraphForExport(graph: Graph): void {
  const defined = new Map<string, string>();
  for (const v of graph.inputs) {
    if (!v.name) throw new GraphError('a graph input has an empty name');
    if (defined.has(v.name)) throw new GraphError(`graph input '${v.name}' is declared twice`);
    defined.set(v.name, 'graph input');
  }
  for (const name of graph.initializers.keys()) {
    if (!name) throw new GraphError('an initializer has an empty name');
    // An initializer may share its name with a graph input (an overridable default), as ONNX allows.
    if (!defined.has(name)) defined.set(name, 'initializer');
  }
  const nodeNames = new Set<string>();
  graph.nodes.forEach((node, i) => {
    const label = nodeLabel(node, i);
    if (nodeNames.has(node.name))
      throw new GraphError(`${label}: node name is used twice`, { node: node.name });
    nodeNames.add(node.name);
    for (const input of node.inputs) {
      if (input === '') continue;
      if (!defined.has(input)) {
        throw new GraphError(
          `${label} reads '${input}', which is not a graph input, an initializer or an output of an earlier node`,
          { node: node.name, value: input },
        );
      }
    }
    for (const output of node.outputs) {
      if (output === '') continue;
      const prev = defined.get(output);
      if (prev) {
        throw new GraphError(`${label} writes '${output}', which is already defined (${prev})`, {
          node: node.name,
          value: output,
        });
      }
      defined.set(output, `output of node '${node.name}'`);
    }
  });
  const outNames = new Set<string>();
  for (const o of graph.outputs) {
    if (!defined.has(o.name))
      throw new GraphError(`graph output '${o.name}' is not produced by any node, input or initializer`);
    if (outNames.has(o.name)) throw new GraphError(`graph output '${o.name}' is declared twice`);
    outNames.add(o.name);
  }
}

const utf8 = new TextEncoder();

function attrToProto(name: string, type: AttrType, v: AttrValue, where: string): AttributeProto {
  const bad = (): never => {
    throw new OnnxError(`${where}: attribute '${name}' must be of type ${type}, got ${describe(v)}`);
  };
  const isNums = (x: AttrValue): x is readonly number[] =>
    Array.isArray(x) && x.every((e) => typeof e === 'number');
  switch (type) {
    case 'int': {
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad();
      const a = attributeProto({ name, type: AttributeType.INT });
      a.i = v;
      return a;
    }
    case 'float': {
      if (typeof v !== 'number') return bad();
      const a = attributeProto({ name, type: AttributeType.FLOAT });
      a.f = v;
      return a;
    }
    case 'string': {
      if (typeof v !== 'string') return bad();
      const a = attributeProto({ name, type: AttributeType.STRING });
      a.s = utf8.encode(v);
      return a;
    }
    case 'ints': {
      if (!isNums(v) || !v.every((e) => Number.isInteger(e))) return bad();
      const a = attributeProto({ name, type: AttributeType.INTS });
      a.ints = [...(v as readonly number[])];
      return a;
    }
    case 'floats': {
      if (!isNums(v)) return bad();
      const a = attributeProto({ name, type: AttributeType.FLOATS });
      a.floats = [...(v as readonly number[])];
      return a;
    }
    case 'strings': {
      if (!Array.isArray(v) || !v.every((e) => typeof e === 'string')) return bad();
      const a = attributeProto({ name, type: AttributeType.STRINGS });
      a.strings = (v as readonly string[]).map((s) => utf8.encode(s));
      return a;
    }
    case 'tensor': {
      if (!(v instanceof Tensor)) return bad();
      const a = attributeProto({ name, type: AttributeType.TENSOR });
      a.t = tensorToProto(v, '');
      return a;
    }
    default:
      throw new OnnxError(`${where}: attribute '${name}' has unknown schema type '${String(type)}'`);
  }
}

function describe(v: AttrValue): string {
  if (v instanceof Tensor) return v.toString();
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

function nodeToProto(node: Node, index: number): NodeProto {
  const label = nodeLabel(node, index);
  let schema: ReturnType<typeof getOpSchema>;
  try {
    schema = getOpSchema(node.opType, node.domain);
  } catch (err) {
    if (err instanceof OcularError) {
      const Ctor = err.constructor as new (m: string, d?: Record<string, unknown>) => OcularError;
      throw new Ctor(`${label}: ${err.message}`, { node: node.name });
    }
    throw err;
  }
  const attribute: AttributeProto[] = [];
  for (const [name, value] of Object.entries(node.attrs)) {
    if (value === undefined) continue;
    const spec = schema.attrs[name];
    if (!spec) {
      throw new OnnxError(`${label}: attribute '${name}' is not defined by the ${node.opType} schema`, {
        node: node.name,
        attribute: name,
      });
    }
    attribute.push(attrToProto(name, spec.type, value, label));
  }
  return {
    input: [...node.inputs],
    output: [...node.outputs],
    name: node.name,
    opType: node.opType,
    domain: isDefaultDomain(node.domain) ? '' : node.domain!,
    attribute,
    ...(node.scope ? { docString: `${SCOPE_PREFIX}${node.scope}` } : {}),
  };
}

function valueInfoToProto(v: ValueInfo, batchDim: boolean): ValueInfoProto {
  const shape = v.shape.map((d: Dim, i: number) => {
    if (batchDim && i === 0) return { dimParam: typeof d === 'string' ? d : 'batch' };
    return typeof d === 'number' ? { dimValue: d } : { dimParam: d };
  });
  return { name: v.name, type: { tensorType: { elemType: dtypeCode(v.dtype, v.name), shape } } };
}

function dtypeCode(dtype: DType, name: string): number {
  if (!isDType(dtype)) throw new OnnxError(`value '${name}' has unknown dtype '${String(dtype)}'`);
  return dtypeToOnnx(dtype);
}

/**
 * Serialises `graph` (nodes, weights, inputs/outputs, metadata) as ONNX `ModelProto` bytes.
 *
 * - The default-domain opset is the graph's own, raised where a node's IR form needs a newer one
 *   ({@link exportOpset}: Gelu 20, GroupNormalization 21, ...). Imported graphs keep their opset,
 *   so their older attribute forms stay valid. Other domains used by nodes are imported at their
 *   schemas' `since` version.
 * - `ir_version` is the one released with that opset (8 for opsets 17–18, 9 for 19–20, ...),
 *   raised where a dtype needs a newer IR (float8: 9, int4: 10, ...).
 * - Attribute types come from `getOpSchema(op, domain).attrs[name].type`; an attribute the
 *   schema does not define is an {@link OnnxError}; a value of the wrong kind is too.
 * - Symbolic dims become `dim_param`; `dynamicBatch` makes dim 0 of inputs/outputs symbolic.
 * - `graph.metadata` becomes `metadata_props`.
 *
 * Throws {@link GraphError} (naming the node) when the graph is not well formed.
 */
export function graphToOnnx(graph: Graph, options: OnnxExportOptions = {}): Uint8Array {
  if ((options as { externalData?: unknown }).externalData !== undefined) {
    throw new NotImplementedError('ONNX export with external data is not supported; weights are embedded');
  }
  validateGraphForExport(graph);
  const opset = exportOpset(graph);
  let irVersion = irVersionForOpset(opset);
  const domains = new Map<string, number>();
  const nodes = graph.nodes.map((n, i) => {
    if (!isDefaultDomain(n.domain)) {
      const since = getOpSchema(n.opType, n.domain).since;
      domains.set(n.domain!, Math.max(domains.get(n.domain!) ?? 1, since));
    }
    return nodeToProto(n, i);
  });
  const dtypes = new Set<DType>();
  for (const v of [...graph.inputs, ...graph.outputs]) dtypes.add(v.dtype);
  for (const t of graph.initializers.values()) dtypes.add(t.dtype);
  for (const d of dtypes) irVersion = Math.max(irVersion, irVersionForDType(d));

  const batch = options.dynamicBatch === true;
  const io = new Set<string>([...graph.inputs, ...graph.outputs].map((v) => v.name));
  const valueInfo: ValueInfoProto[] = [];
  if (!batch) {
    for (const v of graph.valueInfo.values()) {
      if (io.has(v.name) || graph.initializers.has(v.name)) continue;
      valueInfo.push(valueInfoToProto(v, false));
    }
  }
  const initializer = [...graph.initializers].map(([name, t]) => {
    if (!(t instanceof Tensor)) throw new GraphError(`initializer '${name}' is not a host Tensor`);
    return tensorToProto(t, name);
  });
  const g: GraphProto = {
    node: nodes,
    name: graph.name || 'graph',
    initializer,
    sparseInitializerCount: 0,
    input: graph.inputs.map((v) => valueInfoToProto(v, batch && v.shape.length > 0)),
    output: graph.outputs.map((v) => valueInfoToProto(v, batch && v.shape.length > 0)),
    valueInfo,
    metadataProps: [],
  };
  const model: ModelProto = {
    irVersion,
    opsetImport: [
      { domain: '', version: opset },
      ...[...domains].map(([domain, version]) => ({ domain, version })),
    ],
    producerName: options.producerName ?? 'ocular',
    producerVersion: options.producerVersion ?? '',
    domain: '',
    modelVersion: 0,
    docString: options.docString ?? '',
    graph: g,
    metadataProps: Object.entries(graph.metadata).map(([key, value]) => {
      if (typeof value !== 'string') {
        throw new OnnxError(`metadata '${key}' must be a string, got ${typeof value}`);
      }
      return { key, value };
    }),
    functionCount: 0,
    trainingInfoCount: 0,
  };
  return encodeModelProto(model);
}
