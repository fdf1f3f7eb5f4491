/**
 * Feature detection of the runtime: Node (sharp, fs) versus browser (createImageBitmap,
 * OffscreenCanvas). Nothing here imports Node modules, so browser bundles stay clean.
 * @module
 */
import { AbortError } from '@ocular/core';

/** Which implementation decodes and encodes: sharp (Node) or the browser's canvas APIs. */
export type CodecChoice = 'auto' | 'sharp' | 'browser';

/** True when running under Node (where sharp and the file system are used). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Resolves `auto` to `sharp` under Node and `browser` elsewhere. */
export function resolveCodec(choice: CodecChoice | undefined): 'sharp' | 'browser' {
  if (choice === 'sharp' || choice === 'browser') return choice;
  return isNode() ? 'sharp' : 'browser';
}

/** Throws {@link AbortError} when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError('image loading was aborted');
}
