/**
 * The GraphDef JSON a TF.js GraphModel's `model.json` carries in `modelTopology` (protobuf JSON:
 * 64-bit integers as strings, `bytes` as base64, zero values omitted).
 * @module
 */

/** A tensor shape; an omitted `size` is 0 and `-1` is unknown. */
export interface TfShapeProto {
  dim?: { size?: string | number; name?: string }[];
  unknownRank?: boolean;
}

/** An inline tensor value (rare in converted models: tfjs-converter moves constants to the weights). */
export interface TfTensorProto {
  dtype?: string;
  tensorShape?: TfShapeProto;
  tensorContent?: string;
  floatVal?: number[];
  intVal?: number[];
  int64Val?: (string | number)[];
  boolVal?: boolean[];
  halfVal?: number[];
  doubleVal?: number[];
}

/** One attribute value; exactly one field is set. */
export interface TfAttrValue {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: TfShapeProto;
  tensor?: TfTensorProto;
  list?: {
    s?: string[];
    i?: (string | number)[];
    f?: number[];
    b?: boolean[];
    type?: string[];
    shape?: TfShapeProto[];
  };
  func?: unknown;
}

/** One GraphDef node. Inputs are `name`, `name:k` (k-th output) or `^name` (control edge). */
export interface TfNodeDef {
  name: string;
  op: string;
  input?: string[];
  device?: string;
  attr?: Record<string, TfAttrValue>;
}

/** The GraphDef: nodes plus a function library (control flow, unsupported here). */
export interface TfGraphDef {
  node: TfNodeDef[];
  library?: { function?: unknown[] };
  versions?: unknown;
}

/** A signature entry: the tensor name (`node:0`), dtype and shape. */
export interface TfSignatureEntry {
  name: string;
  dtype?: string;
  tensorShape?: TfShapeProto;
}

/** A GraphModel's `signature`: named inputs and outputs. */
export interface TfSignature {
  inputs?: Record<string, TfSignatureEntry>;
  outputs?: Record<string, TfSignatureEntry>;
}
