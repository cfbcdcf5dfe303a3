const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const EQUALS = 0x3d;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/**
 * The labels column (labelsJson, `{"k1":"v1","k2":"v2"}`) written from the bytes of a series id
 * (seriesId, `metric{k1="v1",k2="v2"}`): the same keys in the same order and the same
 * JSON-stringified values, so a live series need not keep both texts. `src[from, to)` is the id
 * after `metric{` (empty for a series without labels); the column goes to `dst` from `at`, and
 * the end is returned, or -1 when the text does not have the id's shape.
 * Exact only for keys that JSON does not escape and that hold no `=`: makeSeries compares the
 * result with labelsJson once per series (see domain/series.ts), and keeps the labels text of a
 * series where they differ.
 */
export function idLabels(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): number {
  let i = from;
  let o = at;
  dst[o++] = OPEN;
  if (i === to) {
    dst[o++] = CLOSE;
    return o;
  }
  while (i < to) {
    dst[o++] = QUOTE;
    while (i < to && src[i] !== EQUALS) dst[o++] = src[i++]!;
    if (i + 1 >= to || src[i + 1] !== QUOTE) return -1;
    dst[o++] = QUOTE;
    dst[o++] = COLON;
    dst[o++] = QUOTE;
    i += 2;
    // the value is JSON text already: copied with its escapes up to its closing quote
    for (;;) {
      if (i >= to) return -1;
      const c = src[i++]!;
      dst[o++] = c;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        if (i >= to) return -1;
        dst[o++] = src[i++]!;
      }
    }
    if (i >= to) return -1;
    const sep = src[i++]!;
    if (sep === COMMA) dst[o++] = COMMA;
    else if (sep === CLOSE && i === to) {
      dst[o++] = CLOSE;
      return o;
    } else return -1;
  }
  return -1;
}
