import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, evaluateTemplate, isKnownFunction, isSupportedFunction } from '../../../local/runtime/expressions/index.js';

const ev = (text: string) => evaluateTemplate(text, EMPTY_CONTEXT);

describe('string functions', () => {
  it('search case-insensitively where the docs say so', () => {
    expect(ev("@indexOf('hello world', 'WORLD')")).toBe(6);
    expect(ev("@lastIndexOf('hello world hello world', 'world')")).toBe(18);
    expect(ev("@nthIndexOf('123456789123465789', '1', 2)")).toBe(9);
    expect(ev("@nthIndexOf('abcabc', 'b', -1)")).toBe(4);
    expect(ev("@startsWith('Hello', 'hE')")).toBe(true);
    expect(ev("@endsWith('Hello', 'LO')")).toBe(true);
    expect(ev("@contains('Hello', 'h')")).toBe(false);
  });

  it('formats numbers with .NET format strings and cultures', () => {
    expect(ev("@formatNumber(1234567.891, 'N2')")).toBe('1,234,567.89');
    expect(ev("@formatNumber(1234567.891, '#,##0.00')")).toBe('1,234,567.89');
    expect(ev("@formatNumber(0.25, 'P0')")).toBe('25%');
    expect(ev("@formatNumber(0.25, 'P0', '')")).toBe('25 %');
    expect(ev("@formatNumber(17.35, 'C2')")).toBe('$17.35');
    expect(ev("@formatNumber(5551234567, '(###) ###-####')")).toBe('(555) 123-4567');
    expect(ev("@formatNumber(17.35, 'C2', 'en-US')")).toBe('$17.35');
    expect(ev("@formatNumber(1234.5, 'N1', 'de-DE')")).toBe('1.234,5');
    expect(ev("@formatNumber(42, '00000')")).toBe('00042');
    expect(ev("@formatNumber(255, 'X4')")).toBe('00FF');
    expect(ev("@formatNumber(-3.5, '0.0;(0.0)')")).toBe('(3.5)');
  });

  it('makes GUIDs in the requested format', () => {
    expect(ev('@guid()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ev("@guid('N')")).toMatch(/^[0-9a-f]{32}$/);
    expect(ev("@guid('B')")).toMatch(/^\{[0-9a-f-]{36}\}$/);
  });
});

describe('collection and manipulation functions', () => {
  it('sorts, chunks, skips and checks emptiness', () => {
    expect(ev('@sort(createArray(3, 1, 2))')).toEqual([1, 2, 3]);
    expect(ev("@sort(json('[{\"n\":\"b\"},{\"n\":\"a\"}]'), 'n')")).toEqual([{ n: 'a' }, { n: 'b' }]);
    expect(ev('@chunk(createArray(1, 2, 3, 4, 5), 2)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(ev("@chunk('abcde', 2)")).toEqual(['ab', 'cd', 'e']);
    expect(ev('@skip(createArray(1, 2, 3), 2)')).toEqual([3]);
    expect(ev('@empty(null)')).toBe(true);
  });

  it('merges objects case-insensitively keeping the first spelling', () => {
    expect(ev("@mergeObjects(json('{\"a\":1}'), json('{\"A\":2,\"b\":3}'))")).toEqual({ a: 2, b: 3 });
  });
});

describe('conversion, math and URI functions', () => {
  it('keeps integer, float and decimal arithmetic apart', () => {
    expect(ev('@div(7, 2)')).toBe(3);
    expect(ev('@div(7, 2.0)')).toBe(3.5);
    expect(ev('@mod(-7, 2)')).toBe(-1);
    expect(ev("@{add(decimal('0.1'), decimal('0.2'))}")).toBe('0.3');
    expect(ev('@{add(0.1, 0.2)}')).toBe('0.30000000000000004');
    expect(ev('@range(3, 3)')).toEqual([3, 4, 5]);
    expect(ev('@max(createArray(1, 5, 3))')).toBe(5);
    expect(ev('@min(1, 0.5)')).toBe(0.5);
    const r = ev('@rand(10, 12)') as number;
    expect([10, 11]).toContain(r);
  });

  it('encodes URI components like Uri.EscapeDataString', () => {
    expect(ev("@encodeUriComponent('a b!(x)*')")).toBe('a%20b%21%28x%29%2A');
    expect(ev("@decodeUriComponent('a%20b%ZZ')")).toBe('a b%ZZ');
    expect(ev("@uriComponentToString('%E2%82%AC')")).toBe('€');
  });

  it('takes URIs apart', () => {
    const u = "'https://www.contoso.com:8443/catalog/shownew.htm?date=today&x=1'";
    expect(ev(`@uriHost(${u})`)).toBe('www.contoso.com');
    expect(ev(`@uriPath(${u})`)).toBe('/catalog/shownew.htm');
    expect(ev(`@uriPathAndQuery(${u})`)).toBe('/catalog/shownew.htm?date=today&x=1');
    expect(ev(`@uriPort(${u})`)).toBe(8443);
    expect(ev("@uriPort('http://contoso.com')")).toBe(80);
    expect(ev(`@uriScheme(${u})`)).toBe('https');
    expect(ev(`@uriQuery(${u})`)).toBe('?date=today&x=1');
    expect(() => ev("@uriHost('not a uri')")).toThrow(/absolute URI/);
  });

  it('decodes binary envelopes that come from the run as binary content', () => {
    const ctx = { ...EMPTY_CONTEXT, variables: () => ({ '$content-type': 'text/plain', '$content': Buffer.from('héllo').toString('base64') }) };
    expect(evaluateTemplate("@{variables('file')}", ctx)).toBe('héllo');
    expect(evaluateTemplate("@base64(variables('file'))", ctx)).toBe(Buffer.from('héllo').toString('base64'));
    expect(evaluateTemplate("@dataUri(variables('file'))", ctx)).toBe(`data:text/plain;base64,${Buffer.from('héllo').toString('base64')}`);
  });
});

describe('XML functions', () => {
  it('round-trips XML and JSON the way the host does', () => {
    expect(ev("@{xml('<a x=\"1\"><b>t</b><b/></a>')}")).toBe('<a x="1"><b>t</b><b /></a>');
    expect(ev("@json(xml('<a x=\"1\"><b>t</b><b/></a>'))")).toEqual({ a: { '@x': '1', b: ['t', null] } });
    expect(ev("@{xml(json('{\"user\":{\"@id\":\"7\",\"name\":\"Ada\"}}'))}")).toBe('<user id="7"><name>Ada</name></user>');
    expect(ev("@encodeXmlValue('a<b & \"c\"')")).toBe('a&lt;b &amp; &quot;c&quot;');
    expect(ev("@decodeXmlName(encodeXmlName('first name'))")).toBe('first name');
    expect(() => ev("@xml('<a><b></a>')")).toThrow(/does not match the start tag/);
  });

  it('evaluates XPath 1.0 over XML values', () => {
    const doc = "xml('<users><user id=\"1\" active=\"true\"><name>Ada</name><age>36</age></user><user id=\"2\"><name>Bob</name><age>41</age></user></users>')";
    expect(ev(`@xpath(${doc}, 'count(//user)')`)).toBe(2);
    expect(ev(`@xpath(${doc}, 'sum(/users/user/age)')`)).toBe(77);
    expect(ev(`@xpath(${doc}, 'string(/users/user[@id=\"2\"]/name)')`)).toBe('Bob');
    expect(ev(`@xpath(${doc}, '//user[age > 40]/name/text()')`)).toEqual(['Bob']);
    expect(ev(`@xpath(${doc}, '//user[last()]/@id')`)).toEqual(['2']);
    expect(ev(`@xpath(${doc}, 'boolean(//user[@active])')`)).toBe(true);
    expect(ev(`@{first(xpath(${doc}, '/users/user[1]/name'))}`)).toBe('<name>Ada</name>');
    expect(ev(`@xpath(${doc}, 'concat(//user[1]/name, \"-\", //user[2]/name)')`)).toBe('Ada-Bob');
    expect(() => ev(`@xpath(${doc}, '//user[')`)).toThrow(/XPath expression '\/\/user\[' is not valid/);
  });
});

describe('function catalogue', () => {
  it('knows and supports every family, case-insensitively', () => {
    for (const name of ['concat', 'sortBy', 'chunk', 'IF', 'decimal', 'mergeObjects', 'formatTimeSpan', 'uriPort', 'triggerFormDataValue', 'appsetting', 'action', 'xml', 'XPath', 'encodeXmlValue']) {
      expect(isKnownFunction(name)).toBe(true);
      expect(isSupportedFunction(name)).toBe(true);
    }
    expect(isSupportedFunction('nope')).toBe(false);
    expect(isKnownFunction('nope')).toBe(false);
  });
});

describe('json()', () => {
  it('keeps float-ness and int64 precision and reads what Newtonsoft reads', () => {
    expect(ev("@{json('{\"f\": 5.0, \"i\": 5, \"big\": 9223372036854775807}')}")).toBe('{"f":5.0,"i":5,"big":9223372036854775807}');
    expect(ev("@json('{name: ''Ada'', /* note */ \"tags\": [''a'', \"b\\u0021\"] // end\n}')")).toEqual({ name: 'Ada', tags: ['a', 'b!'] });
    expect(() => ev("@json('{\"a\": }')")).toThrow(/function 'json' parameter is not valid/);
    expect(() => ev("@json('[1, 2')")).toThrow("expected ',' or ']' at position 6");
  });
});
