/**
 * Reading GraphDef node attributes: protobuf JSON stores strings as base64 and 64-bit integers as
 * decimal strings; absent attributes take the TF op's default.
 * @module
 */
import type { DType } from '@ocular/core';
import { ImportError } from '../errors.js';
import type { TfAttrValue, TfNodeDef, TfShapeProto } from './types.js';

/** TF `DataType` enum names and the Ocular dtype each becomes. */
const TF_DTYPES: Readonly<Record<string, DType>> = {
  DT_FLOAT: 'float32',
  DT_HALF: 'float16',
  DT_BFLOAT16: 'bfloat16',
  DT_DOUBLE: 'float64',
  DT_INT8: 'int8',
  DT_UINT8: 'uint8',
  DT_INT16: 'int16',
  DT_UINT16: 'uint16',
  DT_INT32: 'int32',
  DT_UINT32: 'uint32',
  DT_INT64: 'int64',
  DT_UINT64: 'uint64',
  DT_BOOL: 'bool',
};

/** The Ocular dtype of a TF `DataType` name; throws {@link ImportError} naming the node for others. */
export function tfDType(type: string | undefined, where: string): DType {
  const d = type === undefined ? undefined : TF_DTYPES[type];
  if (!d) throw new ImportError(`${where}: TF dtype ${type ?? '(none)'} is not supported`);
  return d;
}

function decodeBase64(s: string): string {
  return typeof Buffer !== 'undefined'
    ? Buffer.from(s, 'base64').toString('utf8')
    : new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
}

function attr(node: TfNodeDef, name: string): TfAttrValue | undefined {
  return node.attr?.[name];
}

/** A string attribute (decoded from base64), or `fallback`. */
export function attrString(node: TfNodeDef, name: string, fallback: string): string {
  const a = attr(node, name);
  return a?.s !== undefined ? decodeBase64(a.s) : fallback;
}

/** A string-list attribute (each decoded from base64); `[]` when absent. */
export function attrStrings(node: TfNodeDef, name: string): string[] {
  return (attr(node, name)?.list?.s ?? []).map(decodeBase64);
}

/** An int attribute, or `fallback`. */
export function attrInt(node: TfNodeDef, name: string, fallback: number): number {
  const a = attr(node, name);
  return a?.i !== undefined ? Number(a.i) : fallback;
}

/** An int-list attribute, or `fallback` when absent or empty. */
export function attrInts(node: TfNodeDef, name: string, fallback: readonly number[]): number[] {
  const l = attr(node, name)?.list?.i;
  return l?.length ? l.map(Number) : [...fallback];
}

/** A float attribute, or `fallback`. */
export function attrFloat(node: TfNodeDef, name: string, fallback: number): number {
  const a = attr(node, name);
  return a?.f !== undefined ? Number(a.f) : fallback;
}

/** A bool attribute, or `fallback`. */
export function attrBool(node: TfNodeDef, name: string, fallback: boolean): boolean {
  const a = attr(node, name);
  return a?.b !== undefined ? Boolean(a.b) : fallback;
}

/** A type attribute as an Ocular dtype, or `fallback` when absent. */
export function attrDType(node: TfNodeDef, name: string, fallback?: DType): DType {
  const a = attr(node, name);
  if (a?.type === undefined) {
    if (fallback) return fallback;
    throw new ImportError(`node '${node.name}' (${node.op}): attribute '${name}' is missing`);
  }
  return tfDType(a.type, `node '${node.name}' (${node.op})`);
}

/** Dims of a shape proto: omitted sizes are 0, `-1` (unknown) stays -1; `undefined` for unknown rank. */
export function shapeDims(shape: TfShapeProto | undefined): number[] | undefined {
  if (!shape || shape.unknownRank) return undefined;
  return (shape.dim ?? []).map((d) => Number(d.size ?? 0));
}
