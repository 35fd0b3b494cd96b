import { describe, expect, it } from 'vitest';
import type { Report } from '../runner/report.js';
import { renderJunit } from './junit.js';
import {
  FEW_RESULTS_REASON,
  firstXmlIllegal,
  HOSTILE,
  NO_SCORE_REASON,
  passingReport,
  reversedSampleReport,
  SAMPLE_URLS,
  sampleReport,
} from './testing/sample-report.js';

/** Classname prefix per target URL: the api, plus the flavour where the api has two targets. */
const CLASS_PREFIX: Readonly<Record<string, string>> = {
  [SAMPLE_URLS.memos]: 'memconform.memos',
  [SAMPLE_URLS.mem0]: 'memconform.mem0',
  [SAMPLE_URLS.memmachineHosted]: 'memconform.memmachine.hosted',
  [SAMPLE_URLS.memmachineSelfHosted]: 'memconform.memmachine.self-hosted',
};

/** An element of the parsed document. */
interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][\\w.-]*';

function decode(raw: string, where: string): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/.test(raw)) throw new Error(`bare & in ${where}`);
  return raw.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);/g, (_m, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[e]) return named[e];
    return String.fromCodePoint(e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

/**
 * A strict little XML 1.0 well-formedness checker for what the reporter emits (declaration, elements,
 * attributes, text; no DTD, comments, CDATA or processing instructions): throws on any violation.
 */
function parseXml(xml: string): XmlElement {
  if (firstXmlIllegal(xml) !== -1) throw new Error('character not allowed in XML 1.0');
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (!decl) throw new Error('missing XML declaration');
  let pos = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tagRe = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}="[^"<]*")*)\\s*(/?)>`, 'y');
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt === -1 ? xml.length : lt);
    if (text.includes('>')) {
      // `>` is legal in text, but this reporter escapes it; `]]>` is never legal.
      throw new Error(`unescaped > in text near ${JSON.stringify(text.slice(0, 60))}`);
    }
    const top = stack.at(-1);
    if (top) top.text += decode(text, 'text');
    else if (text.trim() !== '') throw new Error('text outside the root element');
    if (lt === -1) break;
    tagRe.lastIndex = lt;
    const m = tagRe.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(xml.slice(lt, lt + 80))}`);
    const [whole, closing, name = '', rawAttrs = '', selfClosing] = m;
    pos = lt + whole.length;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> does not close <${open?.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(new RegExp(`(${NAME})="([^"]*)"`, 'g'))) {
      const [, key = '', value = ''] = a;
      if (key in attrs) throw new Error(`duplicate attribute ${key} on <${name}>`);
      attrs[key] = decode(value, `attribute ${key}`);
    }
    const element: XmlElement = { name, attrs, children: [], text: '' };
    if (top) top.children.push(element);
    else if (root) throw new Error('second root element');
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

const all = (el: XmlElement, name: string): XmlElement[] =>
  el.children.flatMap((c) => [...(c.name === name ? [c] : []), ...all(c, name)]);

describe('the XML checker used below', () => {
  it.each([
    ['mismatched tags', '<a><b></a></b>'],
    ['an unescaped <', '<a>1 < 2</a>'],
    ['a bare &', '<a>fish & chips</a>'],
    ['a CDATA terminator', '<a>]]></a>'],
    ['a control character', '<a>\u0007</a>'],
    ['an unquoted attribute', '<a b=c/>'],
    ['an unclosed element', '<a>'],
  ])('rejects %s', (_name, body) => {
    expect(() => parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`)).toThrow();
  });
});

describe('junit reporter', () => {
  const xml = renderJunit(sampleReport);
  const root = parseXml(xml);
  const testcases = all(root, 'testcase');

  it('gives each testsuite the wall-clock time of its target, not the sum of its parallel cases', () => {
    const timed: Report = {
      ...sampleReport,
      targets: sampleReport.targets.map((target) => ({ ...target, durationMs: 1_234 })),
    };
    const times = (report: Report) =>
      [...renderJunit(report).matchAll(/<testsuite name="[^"]*" id="\d+" [^>]*time="([\d.]+)"/g)].map(
        (m) => m[1],
      );
    expect(times(timed)).toEqual(sampleReport.targets.map(() => '1.234'));
    expect(times(sampleReport)).not.toContain('1.234');
  });

  it('is well-formed XML 1.0 despite the hostile strings', () => {
    expect(root.name).toBe('testsuites');
    expect(xml).not.toMatch(/<script|<img|<svg|]]>/i);
  });

  it('has one testsuite per target and one testcase per (case, check) outcome', () => {
    const suites = all(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([
      'mem0 (hosted)',
      'memmachine (hosted)',
      'memmachine (self-hosted)',
      'memos (hosted)',
    ]);
    const outcomes = sampleReport.cases.reduce((n, c) => n + c.outcomes.length, 0);
    expect(testcases).toHaveLength(outcomes);
    const ids = testcases.map((t) => `${t.attrs.classname} ${t.attrs.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of sampleReport.cases) {
      for (const o of c.outcomes) {
        expect(ids).toContain(`${CLASS_PREFIX[c.targetUrl]}.${c.operationId} ${c.id} › ${o.checkId}`);
      }
    }
  });

  it('counts tests, failures and skips consistently at every level', () => {
    const failures = testcases.filter((t) => t.children.some((c) => c.name === 'failure')).length;
    const skipped = testcases.filter((t) => t.children.some((c) => c.name === 'skipped')).length;
    expect(root.attrs).toMatchObject({
      tests: String(testcases.length),
      failures: String(failures),
      errors: '0',
      skipped: String(skipped),
    });
    for (const suite of all(root, 'testsuite')) {
      const own = all(suite, 'testcase');
      expect(suite.attrs.tests).toBe(String(own.length));
      expect(suite.attrs.failures).toBe(String(own.filter((t) => all(t, 'failure').length > 0).length));
      expect(suite.attrs.skipped).toBe(String(own.filter((t) => all(t, 'skipped').length > 0).length));
      expect(suite.attrs.timestamp).toBe(sampleReport.startedAt);
    }
    // Error findings in the sample: memos basic-search, limit-respected, malformed x2, self-hosted memmachine
    // echoed (2 in one), hosted memmachine basic-search.
    expect(failures).toBe(6);
    const vacuous = sampleReport.cases
      .flatMap((c) => c.outcomes)
      .filter((o) => o.status === 'vacuous').length;
    expect(skipped).toBe(vacuous);
  });

  it('turns findings at or above --fail-on into a readable <failure> typed by check id', () => {
    const find = (classname: string, name: string): XmlElement => {
      const t = testcases.find((x) => x.attrs.classname === classname && x.attrs.name === name);
      if (!t) throw new Error(`no testcase ${classname} ${name}`);
      return t;
    };
    const basic = all(
      find('memconform.memos.searchMemory', 'basic-search › response-schema-conformance'),
      'failure',
    );
    expect(basic).toHaveLength(1);
    expect(basic[0]?.attrs).toEqual({
      message: 'Expected integer / Received string "2024-05-01T10:00:00Z"',
      type: 'response-schema-conformance',
    });
    expect(basic[0]?.text).toContain('pointer:  /data/memory_detail_list/0/create_time');
    expect(basic[0]?.text).toContain('count:    3');
    expect(basic[0]?.text).toContain(
      "replay:   curl -X POST 'https://memos.memtensor.cn/api/openmem/v1/search/memory'",
    );

    const hostile = all(
      find(
        'memconform.memmachine.self-hosted.searchMemories',
        'echoed-content-search › response-schema-conformance',
      ),
      'failure',
    );
    expect(hostile).toHaveLength(1);
    expect(hostile[0]?.attrs.message).toMatch(/^2 findings; first: Expected string/);
    // The hostile markup survives as text, the controls as visible escapes.
    expect(hostile[0]?.text).toContain(HOSTILE.attribute);
    expect(hostile[0]?.text).toContain(`/content/episodic_memory/0/<script>alert(1)<~1script>`);
    expect(hostile[0]?.text).toContain('\\u0000\\u0007');
    expect(hostile[0]?.text).toContain('\\u001B[31mRED');
    // The 100 KB value is cut, saying how much is missing.
    expect(hostile[0]?.text).toMatch(/… \(\d+ more characters\)/);
    expect(xml.length).toBeLessThan(60_000);
  });

  it('keeps findings below --fail-on as passing testcases with <system-out>', () => {
    const t = testcases.find((x) => x.attrs.name === 'get-by-id › response-schema-conformance');
    expect(t?.children.map((c) => c.name)).toEqual(['system-out']);
    expect(t?.children[0]?.text).toContain(`actual:   "${HOSTILE.script}"`);
  });

  it('marks vacuous outcomes <skipped> with the reasons', () => {
    const t = testcases.find((x) => x.attrs.name === 'cross-user-isolation › no-cross-user-leak');
    const skipped = t && all(t, 'skipped')[0];
    expect(skipped?.attrs.message).toBe(
      `vacuous: the other user's search returned no memories at all (query ${HOSTILE.fence})`,
    );
    // The transport failure of the case is reported too.
    expect(t && all(t, 'system-err')[0]?.text).toContain('got no response (reset: socket hang up');
  });

  it("prefers the outcome's own vacuous reason and falls back to the check's reasons without one", () => {
    const skippedOf = (classname: string, name: string): string | undefined => {
      const t = testcases.find((x) => x.attrs.classname === classname && x.attrs.name === name);
      return t && all(t, 'skipped')[0]?.attrs.message;
    };
    const ranked = 'basic-search › ranked-by-score-descending';
    expect(skippedOf('memconform.memmachine.hosted.searchMemories', ranked)).toBe(
      `vacuous: ${NO_SCORE_REASON}`,
    );
    expect(skippedOf('memconform.memmachine.self-hosted.searchMemories', ranked)).toBe(
      `vacuous: ${FEW_RESULTS_REASON}`,
    );
    // The memos outcome carries no reason (a report from before per-outcome reasons).
    expect(skippedOf('memconform.memos.searchMemory', ranked)).toBe(
      `vacuous: ${FEW_RESULTS_REASON}; ${NO_SCORE_REASON}`,
    );
  });

  it("puts each target's cases and findings in its own testsuite, even for two targets of one api", () => {
    const suites = all(root, 'testsuite');
    expect(suites).toHaveLength(sampleReport.targets.length);
    for (const suite of suites) {
      const url = all(suite, 'property').find((p) => p.attrs.name === 'url')?.attrs.value ?? '';
      const api = all(suite, 'property').find((p) => p.attrs.name === 'api')?.attrs.value;
      const own = sampleReport.cases.filter((c) => c.api === api && c.targetUrl === url);
      expect(own.length, url).toBeGreaterThan(0);
      const expected = own.flatMap((c) =>
        c.outcomes.map((o) => `${CLASS_PREFIX[url]}.${c.operationId} ${c.id} › ${o.checkId}`),
      );
      const got = all(suite, 'testcase').map((t) => `${t.attrs.classname} ${t.attrs.name}`);
      expect(got.sort()).toEqual(expected.sort());
      // Findings: every finding text in the suite is one of this target's, and all of them are there.
      const text = all(suite, 'testcase')
        .flatMap((t) => [...all(t, 'failure'), ...all(t, 'system-out')])
        .map((e) => e.text)
        .join('\n');
      for (const f of sampleReport.findings) {
        const mine = f.api === api && f.targetUrl === url;
        const replay = `replay:   ${f.curl.slice(0, 200)}`;
        if (mine) expect(text, `${url} ${f.message.slice(0, 60)}`).toContain(replay);
        else expect(text, `${url} ${f.message.slice(0, 60)}`).not.toContain(replay);
      }
    }
    const hosted = suites.find((s) => s.attrs.name === 'memmachine (hosted)');
    const selfHosted = suites.find((s) => s.attrs.name === 'memmachine (self-hosted)');
    expect(hosted && all(hosted, 'failure').map((f) => f.attrs.message)).toEqual([
      'Expected at most 5 memories / Received 7 (hosted target)',
    ]);
    expect(selfHosted && JSON.stringify(selfHosted)).not.toContain('(hosted target)');
  });

  it('fails the warning testcases when --fail-on is warning', () => {
    const strict = parseXml(renderJunit({ ...sampleReport, failOn: 'warning' }));
    const failing = all(strict, 'testcase').filter((t) => all(t, 'failure').length > 0);
    expect(failing.map((t) => t.attrs.name)).toContain('get-by-id › response-schema-conformance');
    expect(failing.map((t) => t.attrs.name)).toContain('ping-ok › json-content-type');
    expect(failing.map((t) => t.attrs.name)).toContain('hosted-filtered-search › json-content-type');
    expect(strict.attrs.failures).toBe('9');
  });

  it('reports a passing run with zero failures', () => {
    const passing = parseXml(renderJunit(passingReport));
    expect(passing.attrs.failures).toBe('0');
    expect(Number(passing.attrs.tests)).toBeGreaterThan(0);
  });

  it('is deterministic: the order of the report arrays does not matter', () => {
    expect(renderJunit(reversedSampleReport)).toBe(xml);
  });

  it('keeps findings that match no outcome or no case instead of dropping them', () => {
    const extra = sampleReport.findings[1];
    if (!extra) throw new Error('sample has findings');
    const withOrphans: Report = {
      ...sampleReport,
      findings: [
        ...sampleReport.findings,
        { ...extra, checkId: 'memory-ids-unique' },
        { ...extra, caseId: 'deleted-case', message: `Expected … / Received ${HOSTILE.script}` },
      ],
    };
    const doc = parseXml(renderJunit(withOrphans));
    const names = all(doc, 'testcase').map((t) => t.attrs.name);
    expect(names).toContain('limit-respected › memory-ids-unique');
    expect(names).toContain('deleted-case › result-limit-respected');
    expect(all(doc, 'testsuite').at(-1)?.attrs.name).toBe('findings without a case');
    expect(doc.attrs.failures).toBe('8');
  });
});
