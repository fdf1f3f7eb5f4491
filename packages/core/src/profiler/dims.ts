/**
 * Turning symbolic dims into numbers for profiling: every symbol takes a value (the batch,
 * 1 by default), and the small expressions shape inference builds (`batch*4`,
 * `floor((h-1)/2)+1`) are evaluated.
 * @module
 */
import type { Dim } from '../ir/graph.js';

/** Evaluates a symbolic dim with `value(symbol)`; undefined when the expression is not understood. */
export function evaluateDim(d: Dim, value: (symbol: string) => number): number | undefined {
  if (typeof d === 'number') return d;
  const tokens = d.match(/\s*(\d+(?:\.\d+)?|[A-Za-z_][\w]*|[-+*/%()])/g)?.map((t) => t.trim());
  if (!tokens || tokens.join('') !== d.replace(/\s+/g, '')) return undefined;
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  // expr := term (('+'|'-') term)*; term := factor (('*'|'/'|'%') factor)*;
  // factor := number | symbol | fn '(' expr ')' | '(' expr ')' | '-' factor
  const expr = (): number => {
    let v = term();
    while (peek() === '+' || peek() === '-') v = next() === '+' ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = factor();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = next();
      const r = factor();
      v = op === '*' ? v * r : op === '/' ? v / r : v % r;
    }
    return v;
  };
  const factor = (): number => {
    const t = next();
    if (t === undefined) throw new Error('unexpected end');
    if (t === '-') return -factor();
    if (t === '(') {
      const v = expr();
      if (next() !== ')') throw new Error('missing )');
      return v;
    }
    if (/^\d/.test(t)) return Number(t);
    if (t === 'floor' || t === 'ceil') {
      if (next() !== '(') throw new Error('missing (');
      const v = expr();
      if (next() !== ')') throw new Error('missing )');
      return t === 'floor' ? Math.floor(v) : Math.ceil(v);
    }
    if (/^[A-Za-z_]/.test(t)) return value(t);
    throw new Error(`unexpected '${t}'`);
  };
  try {
    const v = expr();
    return i === tokens.length && Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Symbols named in a dim expression (`'floor((h-1)/2)+1'` → `['h']`). */
export function dimSymbols(d: Dim): string[] {
  if (typeof d === 'number') return [];
  return (d.match(/[A-Za-z_][\w]*/g) ?? []).filter((s) => s !== 'floor' && s !== 'ceil');
}
