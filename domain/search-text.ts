/**
 * Text rules of knowledge search, with no I/O: how Traditional and Simplified Chinese are made to meet, and
 * how a user's query text is cleaned before it reaches the engine.
 *
 * Traditional -> Simplified uses the dictionaries of OpenCC (opencc-js). They are applied on both sides,
 * indexed text and queries, but inside the search engine: each OpenCC conversion step becomes a `mapping`
 * char filter of the index analyzers (see `infra/search-index.ts`). A char filter keeps the offsets of the
 * original text, so highlights mark the words the reader wrote, in the script they wrote them in, and a query
 * goes through exactly the same conversion as the documents because the engine applies the same analyzer.
 * `mapping` char filters exist in OpenSearch 2.x and Elasticsearch 8/9 alike; no plugin is needed.
 *
 * Workflow code must not import this module: opencc-js is a large dictionary package, not sandbox material.
 */
import * as OpenCC from 'opencc-js';

/** One OpenCC conversion step: a dictionary group applied to the whole text by longest match. */
export type ConversionStep = 'tw-variants' | 'tw-phrases' | 'to-simplified';

const STEP_GROUPS: Record<ConversionStep, () => readonly OpenCC.DictGroup[]> = {
  /** Taiwan variant characters to OpenCC's standard Traditional (台 -> 臺 style, char level). */
  'tw-variants': () => OpenCC.Locale.from.tw ?? [],
  /** Taiwan vocabulary to standard Traditional (印表機 -> 打印機, 列印 -> 打印, 軟體 -> 軟件), plus variants. */
  'tw-phrases': () => OpenCC.Locale.from.twp ?? [],
  /** Traditional characters and phrases to Simplified (機 -> 机, 乾燥 -> 干燥). */
  'to-simplified': () => OpenCC.Locale.to.cn ?? [],
};

/** Characters that would break a `mapping` rule (`a => b`) or need escaping; OpenCC entries have none. */
const UNSAFE = /[\s\\=>#"']/u;

function entries(dict: OpenCC.DictLike): [string, string][] {
  if (typeof dict !== 'string') return dict.map(([from, to]) => [from, to]);
  return dict.split('|').flatMap((line) => {
    const [from, to] = line.split(' ');
    return from && to ? [[from, to] as [string, string]] : [];
  });
}

/**
 * The rules of one conversion step as `mapping` char filter lines (`臺 => 台`). Within a group the first
 * dictionary wins, as in OpenCC's own trie, and identity rules are kept: they stop a longer phrase from being
 * converted character by character (乾元 stays 乾元 while 乾 alone becomes 干).
 */
export function conversionRules(step: ConversionStep): string[] {
  const rules = new Map<string, string>();
  for (const group of STEP_GROUPS[step]()) {
    for (const dict of group) {
      for (const [from, to] of entries(dict)) {
        if (!rules.has(from) && !UNSAFE.test(from) && !UNSAFE.test(to)) rules.set(from, to);
      }
    }
  }
  return [...rules].map(([from, to]) => `${from} => ${to}`);
}

const charLevel = OpenCC.Converter({ from: 'tw', to: 'cn' });
const phraseLevel = OpenCC.Converter({ from: 'twp', to: 'cn' });

/**
 * What the index analyzers do to Chinese text before tokenising, for tests and diagnostics: `chars` converts
 * character by character (印表機 -> 印表机), `phrases` also maps Taiwan vocabulary to mainland vocabulary
 * (印表機 -> 打印机, 列印佇列 -> 打印队列).
 */
export function toSimplified(text: string, level: 'chars' | 'phrases' = 'chars'): string {
  return level === 'chars' ? charLevel(text) : phraseLevel(text);
}

/** Longest query text searched; longer input is cut, not refused (a pasted paragraph is still a query). */
export const MAX_QUERY_LENGTH = 500;
/** Longest ticket text considered for suggestions. */
export const MAX_SUGGESTION_TEXT = 5000;

/**
 * A user's query text as it is sent to the engine: Unicode NFC, control characters and unpaired surrogates
 * dropped, whitespace collapsed, at most `max` characters. It always travels as the text of a `match`-style
 * query, never as query syntax, so quotes, parentheses, `AND`, `*` and backslashes are just characters
 * (which the analyzers drop or keep as words).
 */
export function cleanQueryText(raw: string, max = MAX_QUERY_LENGTH): string {
  const text = raw
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return [...text].slice(0, max).join('').trim();
}
