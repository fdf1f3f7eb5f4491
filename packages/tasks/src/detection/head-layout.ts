/**
 * The output layout torchvision's detection heads share: `[N, A·K, H, W]` per level becomes
 * `[N, H·W·A, K]` (location-major, then anchor), levels concatenated.
 * @module
 */
import { F, InvalidArgumentError, type SymbolicTensor } from '@ocular/core';

/** `view(N, -1, K, H, W).permute(0, 3, 4, 1, 2).reshape(N, -1, K)` of one level's map. */
export function flattenLevel(y: SymbolicTensor, columns: number): SymbolicTensor {
  const [, , h, w] = F.shapeOf(y);
  if (typeof h !== 'number' || typeof w !== 'number')
    throw new InvalidArgumentError('detection head: feature maps need a static height and width');
  const grouped = F.reshape(y, [0, -1, columns, h, w]);
  return F.reshape(F.permute(grouped, [0, 3, 4, 1, 2]), [0, -1, columns]);
}

/** Concatenates per-level `[N, n_l, K]` outputs along the anchors. */
export function concatLevels(parts: readonly SymbolicTensor[]): SymbolicTensor {
  return parts.length === 1 ? parts[0]! : F.concat(parts, 1);
}
