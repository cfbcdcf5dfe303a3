import type { ChangeEvent, Labels } from './types';

/**
 * One rule for every string that names something (metric, service, unit, label keys and values,
 * change fields), applied once where it is decoded: a lone UTF-16 surrogate becomes U+FFFD.
 * JSON escapes (`"\ud800"`) and lax protobuf encoders produce lone surrogates; UTF-8 cannot carry
 * them, so left alone they reach ClickHouse as U+FFFD in a raw column but stay escaped inside a
 * JSON column, and the in-memory store keeps them: three spellings of one name.
 */
export function wellFormed(s: string): string {
  // ES2024 methods (Node ≥ 20); the project's lib is ES2022.
  const w = s as unknown as { isWellFormed(): boolean; toWellFormed(): string };
  return w.isWellFormed() ? s : w.toWellFormed();
}

/**
 * An empty label map without a prototype: a label named `__proto__` or `constructor` is a label
 * like any other (on a plain object, `o['__proto__'] = v` is silently dropped). Made by taking
 * the prototype off a literal rather than by Object.create(null): V8 keeps the former in fast
 * mode (one shared hidden class per key order, about 55 bytes for four labels) and puts the
 * latter in dictionary mode (about 280 bytes), and every live series holds one.
 */
export function newLabels(): Record<string, string> {
  return Object.setPrototypeOf({}, null) as Record<string, string>;
}

/** `labels` as a prototype-free map of well-formed keys and values (a copy). */
export function normalLabels(labels: Labels): Labels {
  const out = newLabels();
  for (const k of Object.keys(labels)) out[wellFormed(k)] = wellFormed(labels[k] ?? '');
  return out;
}

const opt = (s: string | undefined): string | undefined => (s === undefined ? undefined : wellFormed(s));

/** A change event with every text field well-formed (decoders of change sources call this once). */
export function wellFormedChange(c: ChangeEvent): ChangeEvent {
  const out: { -readonly [K in keyof ChangeEvent]: ChangeEvent[K] } = {
    ...c, id: wellFormed(c.id), source: wellFormed(c.source), rawType: wellFormed(c.rawType), service: wellFormed(c.service),
  };
  for (const k of ['team', 'summary', 'version', 'revertOf'] as const) if (c[k] !== undefined) out[k] = opt(c[k]);
  if (c.keys !== undefined) out.keys = c.keys.map(wellFormed);
  return out;
}

/**
 * The score from which every surface (report, Slack, timeline) names the top suspect as the likely
 * cause. Scores estimate the probability that the suspect is the cause, so below one half it is
 * more likely not: the reader is told there is no clear cause, with the suspects still listed.
 * @default 0.5
 */
export const CONFIDENT_SCORE = 0.5;

/**
 * A suspect's score as a percentage for people: "<1%" and ">99%" rather than rounding a real
 * doubt away to 0 or 100 (the correlator is never certain, even at a score of 1).
 */
export function confidencePct(score: number): string {
  const p = Math.max(0, Math.min(1, score)) * 100;
  if (p > 0 && p < 0.5) return '<1%';
  if (p >= 99.5) return '>99%';
  return `${Math.round(p)}%`;
}
