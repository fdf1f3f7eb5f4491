/**
 * Parsing of Einsum equations (`'bhqd,bhkd->bhqk'`, `'...ii->...i'`, implicit `'ij,jk'`), shared by
 * the Einsum schema's shape inference and the kernels that evaluate it.
 * @module
 */
import { AttributeError, ShapeError } from '../errors.js';
import { type Dim, formatShape } from '../ir/graph.js';

/** A parsed equation, with ellipsis dims expanded into labels of their own. */
export interface EinsumSpec {
  /** For each operand, the label index of each of its dims (a repeated label means a diagonal). */
  readonly inputs: readonly (readonly number[])[];
  /** The label index of each output dim. */
  readonly output: readonly number[];
  /** Number of distinct labels, ellipsis dims included. */
  readonly numLabels: number;
  /** Printable name of each label (`'i'`, or `'...0'` for ellipsis dims). */
  readonly names: readonly string[];
  /** Size of each label: static, symbolic, or 1 where only broadcast (size-1) ellipsis dims use it. */
  readonly sizes: readonly Dim[];
}

const LETTER = /^[A-Za-z]$/;

/** Splits one term into letters and at most one `'...'`. */
function tokens(term: string, what: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < term.length; ) {
    if (term.startsWith('...', i)) {
      if (out.includes('...')) throw new AttributeError(`${what} '${term}' has more than one ellipsis`);
      out.push('...');
      i += 3;
    } else {
      const c = term[i]!;
      if (!LETTER.test(c)) throw new AttributeError(`${what} '${term}' has invalid character '${c}'`);
      out.push(c);
      i++;
    }
  }
  return out;
}

/**
 * Parses `equation` for operands of the given shapes and checks that every label has one size.
 * Ellipsis dims broadcast numpy-style (right-aligned, size 1 stretches); letter labels must
 * agree exactly. Without `->`, the output is the ellipsis dims followed by the letters used
 * exactly once, in alphabetical (ASCII) order, as numpy does.
 */
export function parseEinsum(equation: string, shapes: readonly (readonly Dim[])[]): EinsumSpec {
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) {
    throw new AttributeError(
      `equation '${equation}' names ${terms.length} operands, the node has ${shapes.length} inputs`,
    );
  }
  const parsed = terms.map((t, i) => tokens(t, `operand ${i} term`));
  let ellRank = 0;
  parsed.forEach((tok, i) => {
    const letters = tok.filter((t) => t !== '...').length;
    const rank = shapes[i]!.length;
    if (tok.includes('...')) {
      if (rank < letters) {
        throw new ShapeError(
          `operand ${i} term '${terms[i]}' needs rank >= ${letters}, got ${formatShape(shapes[i]!)}`,
        );
      }
      ellRank = Math.max(ellRank, rank - letters);
    } else if (rank !== letters) {
      throw new ShapeError(
        `operand ${i} term '${terms[i]}' needs rank ${letters}, got ${formatShape(shapes[i]!)}`,
      );
    }
  });

  const names: string[] = [];
  const sizes: Dim[] = [];
  // Ellipsis dims take labels 0 .. ellRank-1 (right-aligned across operands).
  for (let k = 0; k < ellRank; k++) {
    names.push(`...${k}`);
    sizes.push(1);
  }
  const letterId = new Map<string, number>();
  const idOf = (c: string): number => {
    let id = letterId.get(c);
    if (id === undefined) {
      id = names.length;
      letterId.set(c, id);
      names.push(c);
      sizes.push(-1);
    }
    return id;
  };
  const count = new Map<string, number>();
  const inputs = parsed.map((tok, i) => {
    const shape = shapes[i]!;
    const ids: number[] = [];
    const letters = tok.filter((t) => t !== '...').length;
    const e = shape.length - letters;
    for (const t of tok) {
      if (t === '...') {
        for (let k = 0; k < e; k++) ids.push(ellRank - e + k);
      } else {
        ids.push(idOf(t));
        count.set(t, (count.get(t) ?? 0) + 1);
      }
    }
    ids.forEach((id, axis) => {
      const d = shape[axis]!;
      const cur = sizes[id]!;
      const isEllipsis = id < ellRank;
      if (cur === -1 || (isEllipsis && cur === 1)) sizes[id] = d;
      else if (isEllipsis && d === 1) return;
      else if (cur !== d && typeof cur === 'number' && typeof d === 'number') {
        throw new ShapeError(
          `label '${names[id]}' has size ${cur} elsewhere but ${d} in operand ${i} ${formatShape(shape)} (equation '${equation}')`,
        );
      } else if (typeof cur === 'string' && typeof d === 'number') sizes[id] = d;
    });
    return ids;
  });

  let output: number[];
  if (arrow >= 0) {
    const outTok = tokens(eq.slice(arrow + 2), 'output term');
    output = [];
    for (const t of outTok) {
      if (t === '...') {
        for (let k = 0; k < ellRank; k++) output.push(k);
        continue;
      }
      const id = letterId.get(t);
      if (id === undefined)
        throw new AttributeError(`output label '${t}' does not appear in any operand of '${equation}'`);
      if (output.includes(id)) throw new AttributeError(`output label '${t}' is repeated in '${equation}'`);
      output.push(id);
    }
  } else {
    const once = [...count.entries()].filter(([, n]) => n === 1).map(([c]) => c);
    once.sort();
    output = [...Array.from({ length: ellRank }, (_, k) => k), ...once.map((c) => letterId.get(c)!)];
  }
  return { inputs, output, numLabels: names.length, names, sizes };
}
