/**
 * Reads an image's format and size from its header without decoding it, so the pixel limit is
 * enforced before any pixel buffer is allocated (in Node and in browsers alike).
 * @module
 */
import { ImageError } from '@ocular/core';

/** Formats Ocular decodes and encodes. */
export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** What {@link probeImage} learns from a header. */
export interface ImageHeader {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
}

/** MIME type of each format. */
export const MIME_TYPES: Readonly<Record<ImageFormat, string>> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

function ascii(b: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && at + i < b.length; i++) s += String.fromCharCode(b[at + i]!);
  return s;
}

const be16 = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;
const le16 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const le24 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const be32 = (b: Uint8Array, i: number): number =>
  ((b[i]! << 24) >>> 0) + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!);

/** Names a format Ocular recognises but does not support, for the error message. */
function otherFormat(b: Uint8Array): string | undefined {
  if (ascii(b, 0, 4) === 'GIF8') return 'gif';
  if (b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  const t = ascii(b, 0, 4);
  if (t === 'II*\0' || t === 'MM\0*') return 'tiff';
  if (ascii(b, 4, 4) === 'ftyp') return `heif/avif (${ascii(b, 8, 4).trim()})`;
  if (t === '<svg' || ascii(b, 0, 5) === '<?xml') return 'svg';
  return undefined;
}

function truncated(format: ImageFormat, length: number): ImageError {
  return new ImageError(`truncated ${format.toUpperCase()} header (${length} bytes)`, {
    details: { format, length },
  });
}

function probePng(b: Uint8Array): ImageHeader {
  if (b.length < 24) throw truncated('png', b.length);
  if (ascii(b, 12, 4) !== 'IHDR')
    throw new ImageError('corrupt PNG: the first chunk is not IHDR', { details: { format: 'png' } });
  return { format: 'png', width: be32(b, 16), height: be32(b, 20) };
}

function probeJpeg(b: Uint8Array): ImageHeader {
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff)
      throw new ImageError(`corrupt JPEG: expected a marker at byte ${i}`, {
        details: { format: 'jpeg', offset: i },
      });
    while (i < b.length && b[i] === 0xff) i++; // fill bytes
    if (i >= b.length) break;
    const m = b[i]!;
    i++;
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) continue; // no payload
    if (m === 0xd9 || m === 0xda) break; // end of image / start of scan before any frame header
    if (i + 2 > b.length) break;
    const len = be16(b, i);
    // SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      if (i + 7 > b.length) break;
      return { format: 'jpeg', height: be16(b, i + 3), width: be16(b, i + 5) };
    }
    if (len < 2)
      throw new ImageError(`corrupt JPEG: segment length ${len} at byte ${i}`, {
        details: { format: 'jpeg', offset: i },
      });
    i += len;
  }
  throw new ImageError('truncated or corrupt JPEG: no frame header (SOF) found', {
    details: { format: 'jpeg', length: b.length },
  });
}

function probeWebp(b: Uint8Array): ImageHeader {
  if (b.length < 30) throw truncated('webp', b.length);
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a)
      throw new ImageError('corrupt WebP: bad VP8 start code', { details: { format: 'webp' } });
    return { format: 'webp', width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f)
      throw new ImageError('corrupt WebP: bad VP8L signature', { details: { format: 'webp' } });
    const bits = (b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24)) >>> 0;
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { format: 'webp', width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  throw new ImageError(`corrupt WebP: unknown first chunk '${chunk}'`, { details: { format: 'webp' } });
}

/**
 * Format and size of an encoded PNG, JPEG or WebP image, read from its header only.
 * @throws ImageError for an empty buffer, an unknown or unsupported format, or a truncated or
 *   corrupt header (the message names which).
 */
export function probeImage(bytes: Uint8Array): ImageHeader {
  if (bytes.length === 0) throw new ImageError('empty image data (0 bytes)');
  let header: ImageHeader;
  if (bytes.length >= 8 && be32(bytes, 0) === 0x89504e47 && be32(bytes, 4) === 0x0d0a1a0a)
    header = probePng(bytes);
  else if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    header = probeJpeg(bytes);
  else if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') header = probeWebp(bytes);
  else {
    const other = otherFormat(bytes);
    throw new ImageError(
      other
        ? `unsupported image format '${other}'; PNG, JPEG and WebP are supported`
        : `unknown image format (first bytes ${Array.from(bytes.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ')}); PNG, JPEG and WebP are supported`,
      { details: { format: other ?? 'unknown' } },
    );
  }
  if (header.width <= 0 || header.height <= 0)
    throw new ImageError(
      `corrupt ${header.format.toUpperCase()} header: size ${header.width}x${header.height}`,
      { details: { ...header } },
    );
  return header;
}
