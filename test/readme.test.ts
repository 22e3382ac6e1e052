import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_DOCS } from '../infra/config';

describe('README', () => {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const ci = readFileSync(path.join(__dirname, '..', '.ci', 'run'), 'utf8');

  it('documents every configuration variable with its default', () => {
    for (const doc of CONFIG_DOCS) {
      const cell = doc.default === undefined ? '(unset)' : `\`${doc.default}\``;
      expect(readme).toContain(`| \`${doc.name}\` | ${cell} |`);
    }
  });

  it('gives the test command that CI runs', () => {
    expect(ci).toMatch(/^npm test$/m);
    expect(readme).toContain('npm test');
    expect(readme).toContain('npm run up');
  });
});
