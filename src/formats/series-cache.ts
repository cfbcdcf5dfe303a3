import type { SeriesRef } from '../domain/types';
import { anyValueText } from './otlp/attributes';
import { isObject } from './json';

/**
 * A trie of series identities keyed by point attributes (key, then value, per attribute in the
 * order given). Walking it costs two map lookups per attribute on the strings JSON.parse already
 * made, instead of building and hashing a composite key string per point — the decoder's
 * hottest path. Lists in another order only cost an extra branch.
 */
export interface SeriesNode {
  ref?: SeriesRef;
  next?: Map<string, Map<string, SeriesNode>>;
}

/** Counts leaves so the owner can bound the cache. */
export interface NodeCounter {
  seriesCount: number;
}

/**
 * The trie node for point attributes `attrs` below `root` (its `ref` is unset on a first visit:
 * the caller builds it and calls `counter.seriesCount++`). Returns `{ bad }` with the path
 * suffix (e.g. `[1].key`) of the first malformed attribute.
 */
export function lookupSeries(root: SeriesNode, attrs: unknown): SeriesNode | { bad: string } {
  let node = root;
  if (attrs !== undefined && attrs !== null) {
    if (!Array.isArray(attrs)) return { bad: '' };
    for (let i = 0; i < attrs.length; i++) {
      const a: unknown = attrs[i];
      if (!isObject(a)) return { bad: `[${i}]` };
      const k = a['key'];
      if (typeof k !== 'string' || k === '') return { bad: `[${i}].key` };
      const text = a['value'] === undefined ? '' : anyValueText(a['value']);
      if (text === undefined) return { bad: `[${i}].value` };
      const next = (node.next ??= new Map<string, Map<string, SeriesNode>>());
      let byValue = next.get(k);
      if (byValue === undefined) next.set(k, (byValue = new Map<string, SeriesNode>()));
      let child = byValue.get(text);
      if (child === undefined) byValue.set(text, (child = {}));
      node = child;
    }
  }
  return node;
}
