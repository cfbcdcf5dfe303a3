/**
 * Escaping for everything the timeline writes. Change summaries, series labels and team names
 * come from other teams' systems: treat them all as hostile.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text for HTML element content and quoted attribute values. `escapeHtml('<b>&')` → `&lt;b&gt;&amp;` */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON for a `<script type="application/json">` block: `JSON.stringify` plus escapes for `<`, `>`,
 * `&` (so `</script>` and `<!--` cannot end or confuse the block) and U+2028/2029 (line breaks
 * in old JS parsers). The result still parses to the same value with `JSON.parse`.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * A vendored script's source made safe to inline in `<script>`: a literal `</script` (in a string,
 * regular expression or comment) would end the element early, so its slash is escaped — `<\/script`
 * means the same thing in JS strings and regular expressions, unicode mode included.
 */
export function inlineScriptSource(src: string): string {
  return src.replace(/<\/(script)/gi, '<\\/$1');
}

/**
 * Text for one Markdown table cell or line: backslash-escapes Markdown punctuation, turns `<`/`>`/`&`
 * into entities (renderers pass raw HTML through) and folds line breaks, so a summary can neither
 * break the table nor inject markup or links.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/\r\n?|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}
