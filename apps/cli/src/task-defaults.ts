/**
 * The model each task command uses when `--model` is not given, and labels by name.
 * @module
 */
import type { TaskName } from '@ocular/core';
import { COCO_91_LABELS, VOC_LABELS } from '@ocular/tasks';

/** Registered task networks used by default. Until trained weights are bundled they run untrained. */
export const DEFAULT_TASK_MODELS: Readonly<Record<Exclude<TaskName, 'classification'>, string>> = {
  detection: 'ocular/ssdlite320_mobilenet_v3_large',
  segmentation: 'ocular/lraspp_mobilenet_v3_large',
  'super-resolution': 'ocular/espcn_x3',
};

/** Label sets `--labels` accepts by name (otherwise a file with one label per line or a JSON array). */
export const NAMED_LABELS: Readonly<Record<string, readonly string[]>> = {
  coco91: COCO_91_LABELS,
  voc: VOC_LABELS,
};
