/**
 * Keras layer class → converter. Data only: one entry per supported class.
 * @module
 */
import type { LayerConverter } from './context.js';
import { elu, leakyRelu, prelu, relu, softmax, thresholdedRelu } from './layers/advanced-activations.js';
import { conv2d, conv2dTranspose, depthwiseConv2d, separableConv2d } from './layers/conv.js';
import { activation, dense, flatten, identity, permuteLayer, rescaling, reshape } from './layers/core.js';
import { add, average, concatenate, maximum, minimum, multiply, subtract } from './layers/merge.js';
import { batchNormalization } from './layers/normalization.js';
import {
  averagePooling2d,
  globalAveragePooling2d,
  globalMaxPooling2d,
  maxPooling2d,
} from './layers/pooling.js';
import { cropping2d, upSampling2d, zeroPadding2d } from './layers/spatial.js';

/** Built-in converters by Keras class name (TF.js aliases included). */
export const LAYER_CONVERTERS: Readonly<Record<string, LayerConverter>> = {
  Conv2D: conv2d,
  Convolution2D: conv2d,
  DepthwiseConv2D: depthwiseConv2d,
  SeparableConv2D: separableConv2d,
  SeparableConvolution2D: separableConv2d,
  Conv2DTranspose: conv2dTranspose,
  Dense: dense,
  BatchNormalization: batchNormalization,
  Activation: activation,
  ReLU: relu,
  LeakyReLU: leakyRelu,
  PReLU: prelu,
  ELU: elu,
  ThresholdedReLU: thresholdedRelu,
  Softmax: softmax,
  Add: add,
  Subtract: subtract,
  Multiply: multiply,
  Average: average,
  Maximum: maximum,
  Minimum: minimum,
  Concatenate: concatenate,
  UpSampling2D: upSampling2d,
  ZeroPadding2D: zeroPadding2d,
  Cropping2D: cropping2d,
  MaxPooling2D: maxPooling2d,
  MaxPool2D: maxPooling2d,
  AveragePooling2D: averagePooling2d,
  AvgPool2D: averagePooling2d,
  GlobalAveragePooling2D: globalAveragePooling2d,
  GlobalAvgPool2D: globalAveragePooling2d,
  GlobalMaxPooling2D: globalMaxPooling2d,
  GlobalMaxPool2D: globalMaxPooling2d,
  Reshape: reshape,
  Flatten: flatten,
  Permute: permuteLayer,
  Rescaling: rescaling,
  Dropout: identity,
  SpatialDropout2D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
  ActivityRegularization: identity,
};

/** The Keras layer classes the importer converts, sorted. */
export function supportedLayerClasses(): string[] {
  return [...Object.keys(LAYER_CONVERTERS), 'InputLayer'].sort();
}
