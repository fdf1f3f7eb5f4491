/**
 * onnxruntime as an independent oracle for the spatial reference kernels: every spatial parity
 * case (and a few extra float16 / float64 / int8 cases) runs on onnxruntime-node's CPU provider
 * and on the reference interpreter, and the outputs must agree.
 */
import { SPATIAL_OP_CASES } from '@ocular/core/testing';
import { describeOrtAgreement } from './ort-oracle.js';

describeOrtAgreement('spatial ops agree with onnxruntime', SPATIAL_OP_CASES);
