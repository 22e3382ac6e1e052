import { CONFIG_DOCS } from '../infra/config';

/** Prints the README's configuration table from the config module, so the two cannot drift. */
const rows = CONFIG_DOCS.map(
  (d) => `| \`${d.name}\` | ${d.default === undefined ? '(unset)' : `\`${d.default}\``} | ${d.description} |`,
);
console.log(['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n'));
