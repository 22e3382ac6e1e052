import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSearchRequest,
  buildSuggestionRequest,
  indexSettings,
  questionSearchBody,
  textQuery,
} from './search-index';

const json = (v: unknown) => JSON.stringify(v);

describe('knowledge search requests', () => {
  const hostile = ['"', '(', 'AND', '*', '\\', 'title:foo OR body:[* TO *]', '印表機" OR 1=1'];

  it('never uses query syntax: user text only appears as the text of match-type queries', () => {
    for (const text of hostile) {
      for (const req of [buildSearchRequest({ text, size: 20 }), buildSuggestionRequest({ text, size: 5 })]) {
        const s = json(req);
        expect(s).not.toContain('query_string');
        expect(s).not.toContain('simple_query_string');
        expect(s).not.toContain('"regexp"');
        expect(s).not.toContain('"wildcard"');
        expect(s).not.toContain('"script"');
      }
    }
  });

  it('no source file of the search feature builds query_string queries', () => {
    const root = path.resolve(__dirname, '..');
    for (const file of [
      'infra/search-index.ts',
      'api/knowledge/search-service.ts',
      'activities/knowledge/indexing.ts',
    ]) {
      expect(readFileSync(path.join(root, file), 'utf8')).not.toMatch(/query_string/);
    }
  });

  it('favours the title and guides, and matches most of the words', () => {
    const q = json(textQuery('printer offline'));
    expect(q).toContain('"title^4"');
    expect(q).toContain('"minimum_should_match":"2<70%"');
    expect(q).toContain('{"filter":{"term":{"type":"guide"}},"weight":1.5}');
    expect(q).toContain('{"term":{"errorCodes":{"value":"printer offline","boost":10}}}');
  });

  it('puts filters in post_filter and counts each facet without its own filter', () => {
    const req = buildSearchRequest({ text: 'vpn', size: 10, type: 'guide', tag: 'Network', categoryId: 'c1' });
    expect(req.post_filter).toEqual({
      bool: {
        filter: [{ term: { type: 'guide' } }, { term: { categoryIds: 'c1' } }, { term: { tags: 'network' } }],
      },
    });
    expect(json(req.aggs?.type)).not.toContain('"type":"guide"');
    expect(json(req.aggs?.type)).toContain('"tags":"network"');
    expect(json(req.aggs?.tags)).not.toContain('"tags":"network"');
    expect(req.highlight?.encoder).toBe('html');
    expect(req.sort).toEqual([{ _score: { order: 'desc' } }, { id: { order: 'asc' } }]);
  });

  it('without text lists newest first and pages with search_after', () => {
    const req = buildSearchRequest({ size: 10, after: [1700000000000, 'id-1'] });
    expect(req.query).toEqual({ match_all: {} });
    expect(req.search_after).toEqual([1700000000000, 'id-1']);
    expect(req.highlight).toBeUndefined();
  });

  it('suggestions use more_like_this over the like-text, articles and guides only', () => {
    const req = buildSuggestionRequest({ text: '印表機無法連線', category: 'Hardware', size: 5 });
    const s = json(req);
    expect(s).toContain('"more_like_this"');
    expect(s).toContain('"like":"印表機無法連線"');
    expect(s).toContain('{"terms":{"type":["article","guide"]}}');
    expect(s).toContain('"value":"hardware"');
  });
});

describe('index settings and documents', () => {
  it('analyzes through OpenCC char filters, CJK bigrams and English stemming', () => {
    const analysis = indexSettings().analysis as {
      analyzer: Record<string, { char_filter: string[]; filter: string[] }>;
    };
    expect(analysis.analyzer.zh_en!.char_filter).toEqual(['zh_tw_variants', 'zh_simplified']);
    expect(analysis.analyzer.zh_en_phrases!.char_filter).toEqual(['zh_tw_phrases', 'zh_simplified']);
    expect(analysis.analyzer.zh_en!.filter).toEqual(expect.arrayContaining(['zh_bigram', 'en_stem']));
    expect(indexSettings({ building: true }).refresh_interval).toBe('-1');
  });

  it('folds answers into the question, accepted first, versioned by the newest change', () => {
    const t = (s: number) => new Date(1_700_000_000_000 + s * 1000);
    const doc = questionSearchBody(
      { id: 'q', title: 'T', body: 'B', tags: [], acceptedAnswerId: 'a2', createdAt: t(0), updatedAt: t(1) },
      [
        { id: 'a1', body: 'first', updatedAt: t(2) },
        { id: 'a2', body: 'accepted', updatedAt: t(5) },
      ],
    );
    expect(doc.answers).toEqual(['accepted', 'first']);
    expect(doc.acceptedAnswer).toBe(true);
    expect(doc.updatedAt).toBe(t(5).toISOString());
  });
});
