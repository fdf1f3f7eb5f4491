/**
 * Label sets the task commands accept by name.
 * @module
 */
import { COCO_80_LABELS } from '@ocular/models';
import { COCO_91_LABELS, VOC_LABELS } from '@ocular/tasks';

/** Label sets `--labels` accepts by name (otherwise a file with one label per line or a JSON array). */
export const NAMED_LABELS: Readonly<Record<string, readonly string[]>> = {
  coco80: COCO_80_LABELS,
  coco91: COCO_91_LABELS,
  voc: VOC_LABELS,
};
