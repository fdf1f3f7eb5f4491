/**
 * ONNX import and export: `readOnnxModel` / `readOnnxTensor` turn ONNX bytes into a graph or
 * tensor, `graphToOnnx` serialises a graph with its weights. The protobuf layer is
 * dependency-free and bounds-checks every length it reads.
 * @module
 */

export { graphToOnnx, type OnnxExportOptions, validateGraphForExport } from './export.js';
export { type OnnxNodeTestData, readOnnxNodeTest } from './node-test.js';
export { exportOpset, minOpsetForNode } from './opset.js';
export {
  type AttributeProto,
  AttributeType,
  DataLocation,
  type DimensionProto,
  decodeModelProto,
  decodeTensorProto,
  encodeModelProto,
  encodeTensorProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type OperatorSetIdProto,
  type StringStringEntryProto,
  type TensorProto,
  type TensorTypeProto,
  type TypeProto,
  type ValueInfoProto,
} from './proto.js';
export { readOnnxModel, readOnnxTensor, valueInfoFromProto } from './read.js';
export { tensorFromProto, tensorToProto } from './tensor.js';
