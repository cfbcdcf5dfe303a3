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
  ref: SeriesRef | undefined;
  /**
   * The first attribute (key, value) seen below this node and its node, kept inline: nearly
   * every node has one child (a resource's metric usually carries one attribute set, and each
   * attribute list one path), and two Maps per series were most of the cache's memory.
   */
  key: string;
  value: string;
  child: SeriesNode | undefined;
  /** Further children, by key then value. */
  next: Map<string, Map<string, SeriesNode>> | undefined;
}

/** A new trie node; every node has the same fields, so the lookups stay monomorphic. */
export function seriesNode(): SeriesNode {
  return { ref: undefined, key: '', value: '', child: undefined, next: undefined };
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
      node = childOf(node, k, text);
    }
  }
  return node;
}

function childOf(node: SeriesNode, k: string, text: string): SeriesNode {
  const first = node.child;
  if (first === undefined) {
    node.key = k;
    node.value = text;
    return (node.child = seriesNode());
  }
  if (node.key === k && node.value === text) return first;
  const next = (node.next ??= new Map<string, Map<string, SeriesNode>>());
  let byValue = next.get(k);
  if (byValue === undefined) next.set(k, (byValue = new Map<string, SeriesNode>()));
  let child = byValue.get(text);
  if (child === undefined) byValue.set(text, (child = seriesNode()));
  return child;
}
