/** FNV-1a offset basis: the seed of a hash of a whole text. */
export const FNV_SEED = 0x811c9dc5;

/** FNV-1a (32 bits) of the UTF-16 units of `s`, from `seed` (the hash of the text before it). */
export function textHash(s: string, seed: number = FNV_SEED): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}
