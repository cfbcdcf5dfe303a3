import { configKeys, type ConfigKey } from './keys';
import { TOOL_VARIABLES } from './sources';

/**
 * docs/configuration.md, generated from the zod schema (descriptions, types, defaults) so the
 * reference cannot drift from what is validated; test/unit/config/reference.test.ts fails when
 * the checked-in file is stale. Written by `npm run docs:config`.
 */

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function defaultText(k: ConfigKey): string {
  const d = k.default;
  if (d === undefined) return 'unset';
  if (Array.isArray(d)) return d.map((x) => `\`${String(x)}\``).join(', ');
  if (d === '') return '`""`';
  return `\`${typeof d === 'string' ? d : JSON.stringify(d)}\``;
}

function row(k: ConfigKey): string {
  const type = [k.type, ...k.constraints].join('; ');
  return `| \`${k.name}\` | ${cell(type)} | ${cell(defaultText(k))} | \`${k.env}\` | ${cell(k.description)} |`;
}

const INTRO = `# Configuration reference

<!-- Generated from src/config/schema.ts by \`npm run docs:config\`. Do not edit by hand: a unit test fails when this file is stale. -->

epicenter reads its configuration once, at start, from these sources; a later source overrides an
earlier one key by key:

1. the bundled defaults, \`config/default.yaml\` in the package's own folder (found from the
   installed package, not from the working directory; \`--config config/default.yaml\` always means
   this file);
2. each \`--config FILE\` in the order given (YAML; every file must exist);
3. \`EPICENTER_*\` environment variables, one per key (listed below). Lists are comma-separated;
   numbers are parsed.

The result is validated against one strict schema and then frozen. A file that does not exist, an
unknown key at any depth (\`clickhouse.databse\`), an unknown \`EPICENTER_*\` variable, or a value of
the wrong type or range stops epicenter at start with exit status 2 and a message naming the key and
where it was set (\`file:line\` or the variable), e.g.

\`\`\`
epicenter: BAD_CONFIG: prod.yaml:7: clickhouse.url: must be an http:// or https:// URL
epicenter: BAD_CONFIG: environment variable EPICENTER_HTTP_PORT: http.port: Invalid input: expected number, received string
\`\`\`

A key written with no value (\`token:\` alone) counts as not set.
`;

/** The whole Markdown file. */
export function configReference(): string {
  const groups = new Map<string, ConfigKey[]>();
  for (const k of configKeys()) {
    const g = k.path.length > 1 ? (k.path[0] ?? '') : '';
    let list = groups.get(g);
    if (list === undefined) groups.set(g, (list = []));
    list.push(k);
  }
  const parts = [INTRO];
  for (const [g, keys] of groups) {
    parts.push(`## ${g === '' ? 'Top-level keys' : `\`${g}\``}\n`);
    parts.push('| Key | Type | Default | Environment | Description |\n|---|---|---|---|---|');
    parts.push(`${keys.map(row).join('\n')}\n`);
  }
  parts.push(`## Variables that are not configuration

These \`EPICENTER_*\` variables are read by epicenter's own scripts, tests and benchmarks and are
ignored by the configuration loader, as is every \`EPICENTER_TEST_*\` variable:
${TOOL_VARIABLES.map((v) => `\`${v}\``).join(', ')}.
`);
  return parts.join('\n');
}
