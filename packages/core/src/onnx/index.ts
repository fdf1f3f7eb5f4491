/**
 * onnx barrel.
 * @module
 */
export {};
