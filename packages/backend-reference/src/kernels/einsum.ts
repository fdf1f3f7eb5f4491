/**
 * The Einsum kernel: one loop over every label of the equation (output labels outside,
 * summed labels inside), reading each operand through per-label strides. Repeated labels
 * add their strides, which walks a diagonal; broadcast ellipsis dims get stride 0.
 * @module
 */
import { type DType, opEinsum, opUtil, ShapeError, stridesOf, type Tensor } from '@ocular/core';
import { makeTensor, outputSize, readNum } from './math-helpers.js';

/** Evaluates `equation` on `operands`, computing in float64 and rounding to `dtype`. */
export function einsum(equation: string, operands: readonly Tensor[], dtype: DType): Tensor {
  const spec = opEinsum.parseEinsum(
    equation,
    operands.map((t) => t.dims),
  );
  const sizes = spec.sizes.map((d) => d as number);
  const outDims = spec.output.map((id) => sizes[id]!);
  const outSize = outputSize(dtype, outDims);
  const summed: number[] = [];
  for (let id = 0; id < spec.numLabels; id++) if (!spec.output.includes(id)) summed.push(id);
  // Loop order: output labels (row-major), then summed labels.
  const order = [...spec.output, ...summed];
  let total = 1;
  for (const id of order) total *= sizes[id]!;
  if (total > opUtil.MAX_ELEMENTS) {
    throw new ShapeError(
      `Einsum '${equation}' would take ${total} multiply-adds; the limit is ${opUtil.MAX_ELEMENTS}`,
    );
  }
  const values = operands.map(readNum);
  // strides[o][l]: how far operand o's flat index moves when label order[l] advances by one.
  const strides = operands.map((t, o) => {
    const dimStrides = stridesOf(t.dims);
    return order.map((id) => {
      let s = 0;
      spec.inputs[o]!.forEach((lab, axis) => {
        if (lab === id && t.dims[axis] !== 1) s += dimStrides[axis]!;
      });
      return s;
    });
  });
  const out = new Float64Array(outSize);
  if (total === 0) return makeTensor(dtype, outDims, out);
  const nl = order.length;
  const idx = new Array<number>(nl).fill(0);
  const offs = new Array<number>(operands.length).fill(0);
  const innerCount = summed.reduce((p, id) => p * sizes[id]!, 1);
  for (let it = 0; it < total; it++) {
    let prod = 1;
    for (let o = 0; o < operands.length; o++) prod *= values[o]![offs[o]!]!;
    out[Math.floor(it / innerCount)]! += prod;
    // Advance the odometer from the last label, updating every operand offset.
    for (let l = nl - 1; l >= 0; l--) {
      idx[l]!++;
      for (let o = 0; o < operands.length; o++) offs[o]! += strides[o]![l]!;
      if (idx[l]! < sizes[order[l]!]!) break;
      for (let o = 0; o < operands.length; o++) offs[o]! -= strides[o]![l]! * idx[l]!;
      idx[l] = 0;
    }
  }
  return makeTensor(dtype, outDims, out);
}
