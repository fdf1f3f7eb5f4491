/**
 * The 21 Pascal VOC classes (background first) that torchvision's segmentation weights predict
 * (`_VOC_CATEGORIES`).
 * @module
 */

/** Pascal VOC labels by class id, as torchvision names them. */
export const VOC_LABELS: readonly string[] = Object.freeze([
  '__background__',
  'aeroplane',
  'bicycle',
  'bird',
  'boat',
  'bottle',
  'bus',
  'car',
  'cat',
  'chair',
  'cow',
  'diningtable',
  'dog',
  'horse',
  'motorbike',
  'person',
  'pottedplant',
  'sheep',
  'sofa',
  'train',
  'tvmonitor',
]);
