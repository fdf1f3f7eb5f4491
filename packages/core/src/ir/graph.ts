/**
 * The graph IR: ONNX-named ops over named values. A model traces into a {@link Graph}; every
 * backend consumes one. Nodes are stored in topological order.
 * @module
 */
import type { DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/** A dimension: a static size, or a symbolic name such as `'batch'`. */
export type Dim = number | string;

/** dtype and shape of a value. */
export interface TensorType {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

/** A named, typed value of the graph (graph input/output or intermediate). */
export interface ValueInfo extends TensorType {
  readonly name: string;
}

/**
 * An attribute value. ONNX's INT vs FLOAT distinction is not carried by the value; it comes
 * from the op schema's {@link AttrSpec}, so `{ alpha: 1 }` serialises as FLOAT for LeakyRelu.
 */
export type AttrValue = number | string | readonly number[] | readonly string[] | Tensor;

/** A node's attributes by name. */
export type Attributes = Readonly<Record<string, AttrValue>>;

/** One operation. `inputs` use `''` for an omitted optional input, as ONNX does. */
export interface Node {
  readonly name: string;
  readonly opType: string;
  /** Operator domain; `''` (or undefined) is the default ONNX domain. */
  readonly domain?: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Attributes;
  /** Module path that emitted this node during tracing, e.g. `stages.0.blocks.1.conv_dw`. */
  readonly scope?: string;
}

/** A whole network: inputs, outputs, nodes in topological order and constant initializers (weights). */
export interface Graph {
  name: string;
  /** Default-domain opset version the graph's semantics follow (>= 17). */
  opset: number;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  nodes: Node[];
  /** Weights and constants by value name (state-dict keys for module parameters). */
  initializers: Map<string, Tensor>;
  /** Inferred type of every intermediate value (from tracing); may be empty for imported graphs. */
  valueInfo: Map<string, ValueInfo>;
  /** Free-form metadata written to ONNX `metadata_props` (model name, mean/std, labels, ...). */
  metadata: Record<string, string>;
}

/** The opset Ocular emits. Opset 18 gives GroupNormalization, Col2Im, Resize antialias and Split's num_outputs. */
export const DEFAULT_OPSET = 18;

/** A new empty graph. */
export function createGraph(name = 'graph', opset = DEFAULT_OPSET): Graph {
  return {
    name,
    opset,
    inputs: [],
    outputs: [],
    nodes: [],
    initializers: new Map(),
    valueInfo: new Map(),
    metadata: {},
  };
}

/** A printable shape such as `[batch, 3, 224, 224]`. */
export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.join(', ')}]`;
}
