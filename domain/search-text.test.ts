import * as OpenCC from 'opencc-js';
import { MAX_QUERY_LENGTH, cleanQueryText, conversionRules, toSimplified } from './search-text';

describe('Traditional -> Simplified rules for the index analyzers', () => {
  const apply = (steps: Parameters<typeof conversionRules>[0][], text: string) =>
    steps.reduce((t, step) => {
      const pairs = conversionRules(step).map((r) => r.split(' => ') as [string, string]);
      return OpenCC.CustomConverter(pairs)(t);
    }, text);

  it('as mapping char filter rules reproduce OpenCC, character level and vocabulary level', () => {
    for (const text of [
      '印表機無法連線',
      '列印佇列卡住了',
      '網路連線逾時',
      '軟體更新失敗',
      '乾燥的頭髮',
      'VPN 0x80070005',
    ]) {
      expect(apply(['tw-variants', 'to-simplified'], text)).toBe(toSimplified(text, 'chars'));
      expect(apply(['tw-phrases', 'to-simplified'], text)).toBe(toSimplified(text, 'phrases'));
    }
  });

  it('maps Taiwan characters and vocabulary as expected', () => {
    expect(toSimplified('印表機')).toBe('印表机');
    expect(toSimplified('印表機', 'phrases')).toBe('打印机');
    expect(toSimplified('列印佇列', 'phrases')).toBe('打印队列');
    expect(toSimplified('印表机')).toBe('印表机');
  });

  it('rules are well-formed `a => b` lines without characters the rule parser treats specially', () => {
    for (const step of ['tw-variants', 'tw-phrases', 'to-simplified'] as const) {
      const rules = conversionRules(step);
      expect(rules.length).toBeGreaterThan(500);
      for (const r of rules) expect(r).toMatch(/^[^\s\\=>#"']+ => [^\s\\=>#"']+$/u);
    }
  });
});

describe('cleanQueryText', () => {
  it('keeps query syntax characters as plain text and collapses whitespace', () => {
    expect(cleanQueryText('  "printer" AND (offline)  *\\ ')).toBe('"printer" AND (offline) *\\');
  });

  it('drops control characters and lone surrogates', () => {
    expect(cleanQueryText('印表機\u0000\u0007無法\uD800連線\u200B')).toBe('印表機 無法 連線');
  });

  it('cuts long text at the limit (by code point) and normalises to NFC', () => {
    expect([...cleanQueryText('𠀀'.repeat(600))]).toHaveLength(MAX_QUERY_LENGTH);
    expect(cleanQueryText('e\u0301')).toBe('é');
    expect(cleanQueryText(' \t\n')).toBe('');
  });
});
