import type { SeriesRef } from '../domain/types';
import { attr, attributeProblem, readAttribute } from './otlp/attributes';

/**
 * A trie of series identities keyed by point attributes (key, then value, per attribute in the
 * order given). Walking it costs two comparisons per attribute on the strings JSON.parse already
 * made, instead of building and hashing a composite key string per point — the decoder's
 * hottest path. Lists in another order only cost an extra branch.
 */
export class SeriesNode {
  /**
   * The first attribute (key, value) seen below this node, kept inline ('' while there is none):
   * nearly every node has one child (a resource's metric usually carries one attribute set, and
   * each attribute list one path), and two Maps per series were most of the cache's memory.
   */
  key = '';
  value = '';
  /**
   * With an inline attribute, what follows it: the series whose attributes end with it (then the
   * last attribute of a series costs no node of its own), or, once some series' attributes go on
   * past it, the node after it. Without one, the series whose attributes end at this node. One
   * field for these: a field per case cost 8 bytes a series.
   */
  after: SeriesNode | SeriesRef | undefined = undefined;
  /**
   * Further children, and the series ending here when there is an inline attribute too: rare, so
   * kept apart, and not even a field until a node needs it (declared, not initialised: a node
   * without it is 8 bytes smaller; the few that get one change hidden class).
   */
  declare more: More | undefined;
}

class More {
  ref: SeriesRef | undefined = undefined;
  /** Further children, by key then value. */
  next: Map<string, Map<string, SeriesNode>> | undefined = undefined;
}

/** The series whose attributes end at `node`. */
function endingAt(node: SeriesNode): SeriesRef | undefined {
  return node.key === '' ? (node.after as SeriesRef | undefined) : node.more?.ref;
}

/** A new trie node; nodes have the same fields (but `more`), so the lookups stay monomorphic or nearly. */
export function seriesNode(): SeriesNode {
  return new SeriesNode();
}

/** Counts series so the owner can bound the cache. */
export interface NodeCounter {
  seriesCount: number;
}

/**
 * The series of point attributes `attrs` below `root`: undefined when not seen yet (the caller
 * makes it, adds it with addSeries() and calls `counter.seriesCount++`), or a string, the path
 * suffix (e.g. `[1].key`, or '' for a list that is no array) of the first malformed attribute.
 */
export function findSeries(root: SeriesNode, attrs: unknown): SeriesRef | string | undefined {
  if (attrs === undefined || attrs === null) return endingAt(root);
  if (!Array.isArray(attrs)) return '';
  const n = attrs.length;
  let node: SeriesNode | undefined = root;
  for (let i = 0; i < n; i++) {
    if (!readAttribute(attrs[i])) return attributeProblem(attrs[i], i);
    // An unseen path still has its remaining attributes checked.
    if (node === undefined) continue;
    const k = attr.key;
    const text = attr.text;
    if (node.key === k && node.value === text) {
      const after: SeriesNode | SeriesRef | undefined = node.after;
      if (after instanceof SeriesNode) node = after;
      else if (i === n - 1) return after;
      else node = undefined;
    } else node = node.more?.next?.get(k)?.get(text);
  }
  return node === undefined ? undefined : endingAt(node);
}

/**
 * Records `ref` as the series of `attrs` (which findSeries() found well-formed) below `root`;
 * `intern` gives the one copy of an attribute's key or value text to keep.
 */
export function addSeries(root: SeriesNode, attrs: unknown, ref: SeriesRef, intern: (text: string) => string = (x) => x): void {
  const list: readonly unknown[] = Array.isArray(attrs) ? attrs : [];
  let node = root;
  for (let i = 0; i < list.length; i++) {
    readAttribute(list[i]);
    // The node keeps them: one copy each, not those of the message that made the series
    // (protobuf decoding makes new strings per message; ~46 bytes a series).
    const k = intern(attr.key);
    const text = intern(attr.text);
    const last = i === list.length - 1;
    if (node.key === '') {
      // the series ending here, if any, moves apart for the inline attribute
      const ending = node.after as SeriesRef | undefined;
      node.key = k;
      node.value = text;
      node.after = undefined;
      if (ending !== undefined) (node.more ??= new More()).ref = ending;
    }
    if (node.key === k && node.value === text) {
      const after = node.after;
      if (after instanceof SeriesNode) node = after;
      else if (last) {
        node.after = ref;
        return;
      } else node = node.after = nodeWithRef(after);
    } else node = nextChild(node, k, text);
  }
  if (node.key === '') node.after = ref;
  else (node.more ??= new More()).ref = ref;
}

/** The inline attribute's node, made when a series' attributes go on past it: holds the series that ended there. */
function nodeWithRef(ref: SeriesRef | undefined): SeriesNode {
  const child = seriesNode();
  child.after = ref;
  return child;
}

function nextChild(node: SeriesNode, k: string, text: string): SeriesNode {
  const more = (node.more ??= new More());
  const next = (more.next ??= new Map<string, Map<string, SeriesNode>>());
  let byValue = next.get(k);
  if (byValue === undefined) next.set(k, (byValue = new Map<string, SeriesNode>()));
  let child = byValue.get(text);
  if (child === undefined) byValue.set(text, (child = seriesNode()));
  return child;
}

/** Every series below `node`. */
export function* seriesBelow(node: SeriesNode): Generator<SeriesRef> {
  const after = node.after;
  if (after instanceof SeriesNode) yield* seriesBelow(after);
  else if (after !== undefined) yield after;
  const more = node.more;
  if (more === undefined) return;
  if (more.ref !== undefined) yield more.ref;
  for (const byValue of more.next?.values() ?? []) for (const child of byValue.values()) yield* seriesBelow(child);
}
