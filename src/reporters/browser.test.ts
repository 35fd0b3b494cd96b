/**
 * The HTML and JUnit reports in a real headless Chromium: the hostile sample must not run script, fetch
 * anything or render as markup, and Chromium's own XML parser must accept the JUnit file. A missing browser
 * fails the suite (CI installs Debian's chromium); set MEMCONFORM_CHROMIUM to use another binary.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import {
  HOSTILE,
  NO_SCORE_REASON,
  passingReport,
  SAMPLE_URLS,
  sampleReport,
} from './testing/sample-report.js';

const CHROMIUM = process.env.MEMCONFORM_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the HTML report must be tested in a real browser. ` +
        'Install it (Debian/Ubuntu: sudo apt-get install chromium; elsewhere any Chromium or Chrome) and set ' +
        'MEMCONFORM_CHROMIUM to its path if it is not /usr/bin/chromium. `npm run test:unit` needs no browser.',
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  dir = mkdtempSync(join(tmpdir(), 'memconform-reporters-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Watched {
  readonly page: Page;
  readonly url: string;
  readonly dialogs: string[];
  readonly requests: string[];
  readonly consoleErrors: string[];
}

/** Opens `html` from a file:// URL, recording dialogs, requests and console errors. */
async function open(html: string, name: string): Promise<Watched> {
  const file = join(dir, name);
  writeFileSync(file, html);
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const watched: Watched = { page, url, dialogs: [], requests: [], consoleErrors: [] };
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('request', (request) => watched.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') watched.consoleErrors.push(message.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  // Give any handler an injected element might carry (onerror, onload, onfocus, ...) time to fire.
  await page.waitForTimeout(300);
  return watched;
}

describe('html report in headless Chromium', () => {
  let failing: Watched;

  beforeAll(async () => {
    failing = await open(renderHtml(sampleReport), 'report.html');
  });

  afterAll(async () => {
    await failing?.page.close();
  });

  it('runs no script, opens no dialog and requests nothing but the document', async () => {
    expect(failing.dialogs).toEqual([]);
    expect(failing.requests).toEqual([failing.url]);
    // No CSP violation was reported either: nothing even tried to load or run.
    expect(failing.consoleErrors).toEqual([]);
  });

  it('has no element a hostile string could have created', async () => {
    const dom = await failing.page.evaluate<Record<string, number>>(`({
      scripts: document.querySelectorAll('script').length,
      active: document.querySelectorAll('img, svg, iframe, object, embed, link, base, form, input, audio, video')
        .length,
      handlers: [...document.querySelectorAll('*')].filter((el) =>
        [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on')),
      ).length,
      styles: document.querySelectorAll('style').length,
      externalLinks: [...document.querySelectorAll('a')].filter((a) => !a.getAttribute('href').startsWith('#'))
        .length,
    })`);
    expect(dom).toMatchObject({ scripts: 0, active: 0, handlers: 0, styles: 1, externalLinks: 0 });
  });

  it('shows the hostile strings as visible text', async () => {
    const text = (await failing.page.locator('body').textContent()) ?? '';
    expect(text).toContain(HOSTILE.script);
    expect(text).toContain(HOSTILE.attribute);
    expect(text).toContain(HOSTILE.svg);
    expect(text).toContain('\\u001B[31mRED\\u001B[0m');
    expect(text).toContain('… (95002 more characters)');
    await expect(failing.page.getByText(HOSTILE.script).first().isVisible()).resolves.toBe(true);
  });

  it('shows the verdict and the finding counts', async () => {
    const { page } = failing;
    await expect(page.locator('#verdict').textContent()).resolves.toBe('memconform: FAILED');
    await expect(page.locator('#verdict').isVisible()).resolves.toBe(true);
    const detail = (await page.locator('#verdict-detail').textContent()) ?? '';
    expect(detail).toContain('7 findings at or above --fail-on error');
    expect(detail).toContain('11 findings in total');
    await expect(page.locator('#targets details.finding').count()).resolves.toBe(
      sampleReport.findings.length,
    );
    await expect(page.locator('.card', { hasText: 'errors' }).textContent()).resolves.toBe('7errors');
  });

  it('puts the failures, grouped by root cause with their evidence, between the verdict and the checks table', async () => {
    const { page } = failing;
    const top = async (selector: string) => (await page.locator(selector).boundingBox())?.y ?? -1;
    const [verdict, failures, checks] = [await top('#verdict'), await top('#failures'), await top('#checks')];
    expect(verdict).toBeLessThan(failures);
    expect(failures).toBeLessThan(checks);
    const errors = sampleReport.groups.filter((g) => g.severity === 'error');
    await expect(page.locator('#failures > details.root-cause').count()).resolves.toBe(
      sampleReport.groups.length,
    );
    await expect(page.locator('#failures > h2').textContent()).resolves.toBe(
      `Failures by root cause (${errors.length})`,
    );
    const hostile = page
      .locator('#failures details.root-cause', { hasText: 'echoed-content-search' })
      .first();
    const text = (await hostile.textContent()) ?? '';
    expect(text).toContain('Answer');
    expect(text).toContain('Body at /content/episodic_memory/0');
    expect(text).toContain('Request body');
    expect(text).toContain(HOSTILE.script);
  });

  it('shows the hosted and self-hosted memmachine targets as separate sections with their own findings', async () => {
    const { page } = failing;
    const section = (url: string) =>
      page.locator('section.target', { has: page.getByText(url, { exact: true }) });
    const hosted = section(SAMPLE_URLS.memmachineHosted);
    const selfHosted = section(SAMPLE_URLS.memmachineSelfHosted);
    await expect(hosted.count()).resolves.toBe(1);
    await expect(selfHosted.count()).resolves.toBe(1);
    await expect(hosted.locator('details.finding').count()).resolves.toBe(2);
    await expect(selfHosted.locator('details.finding').count()).resolves.toBe(3);
    const hostedText = (await hosted.textContent()) ?? '';
    const selfHostedText = (await selfHosted.textContent()) ?? '';
    expect(hostedText).toContain('hosted-filtered-search');
    expect(hostedText).not.toContain('echoed-content-search');
    expect(selfHostedText).toContain('echoed-content-search');
    expect(selfHostedText).not.toContain('(hosted target)');
  });

  it('applies its stylesheet (the CSP hash matches) while an injected stylesheet is refused', async () => {
    const { page } = failing;
    const before = await page.evaluate<string>(
      `getComputedStyle(document.querySelector('header')).backgroundImage`,
    );
    expect(before).toContain('linear-gradient');
    const injected = await page.evaluate<string>(`(() => {
      const style = document.createElement('style');
      style.textContent = 'body { display: none !important; }';
      document.head.append(style);
      return getComputedStyle(document.body).display;
    })()`);
    expect(injected).not.toBe('none');
  });

  it('would not run injected markup even if an escaping bug let it through (CSP backstop)', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
    const finished: string[] = [];
    page.on('requestfinished', (r) => finished.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(failing.url);
    await page.evaluate(`(() => {
      document.body.insertAdjacentHTML(
        'beforeend',
        '<img src="https://example.invalid/x.png" onerror="window.__pwned = 1; alert(1)">' +
          '<svg onload="window.__pwned = 2"></svg><iframe src="https://example.invalid/"></iframe>',
      );
      const script = document.createElement('script');
      script.textContent = 'window.__pwned = 3; alert(3)';
      document.body.append(script);
    })()`);
    await page.waitForTimeout(300);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(dialogs).toEqual([]);
    // Chromium announces the injected image's request, and CSP refuses it before it reaches the network.
    expect(requests.filter((url) => url !== failing.url)).toEqual(['https://example.invalid/x.png']);
    expect(failed).toEqual(['https://example.invalid/x.png csp']);
    expect(finished).toEqual([failing.url]);
    await page.close();
  });

  it('shows PASSED for a passing run', async () => {
    const passing = await open(renderHtml(passingReport), 'passing.html');
    await expect(passing.page.locator('#verdict').textContent()).resolves.toBe('memconform: PASSED');
    expect(passing.requests).toEqual([passing.url]);
    expect(passing.dialogs).toEqual([]);
    await passing.page.close();
  });
});

/** What the page reports about a JUnit document parsed by Chromium. */
interface ParsedXml {
  readonly error: string | null;
  readonly root: string;
  readonly tests: string | null;
  readonly testcases: number;
  readonly failureTexts: string[];
  readonly failureMessages: string[];
  readonly skippedMessages: string[];
}

describe('junit report in Chromium DOMParser', () => {
  /** Page code is passed as a string: the project's tsconfig has no DOM library (memconform is Node-only). */
  const parse = async (xml: string): Promise<ParsedXml> => {
    const page = await browser.newPage();
    try {
      return await page.evaluate<ParsedXml>(`(() => {
        const doc = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
        const error = doc.getElementsByTagName('parsererror')[0];
        const attrs = (name, attr) => [...doc.getElementsByTagName(name)].map((e) => e.getAttribute(attr) ?? '');
        return {
          error: error ? error.textContent : null,
          root: doc.documentElement.nodeName,
          tests: doc.documentElement.getAttribute('tests'),
          testcases: doc.getElementsByTagName('testcase').length,
          failureTexts: [...doc.getElementsByTagName('failure')].map((f) => f.textContent ?? ''),
          failureMessages: attrs('failure', 'message'),
          skippedMessages: attrs('skipped', 'message'),
        };
      })()`);
    } finally {
      await page.close();
    }
  };

  it('reports a parse error for broken XML (so the check below can fail)', async () => {
    const result = await parse('<?xml version="1.0"?><a><b>]]></b></a>');
    expect(result.error).not.toBeNull();
  });

  it('parses the hostile sample as well-formed XML that round-trips the hostile text', async () => {
    const result = await parse(renderJunit(sampleReport));
    expect(result.error).toBeNull();
    expect(result.root).toBe('testsuites');
    const outcomes = sampleReport.cases.reduce((n, c) => n + c.outcomes.length, 0);
    expect(result.testcases).toBe(outcomes);
    expect(result.tests).toBe(String(outcomes));
    expect(result.failureTexts.join('\n')).toContain(HOSTILE.attribute);
    expect(result.failureTexts.join('\n')).toContain('# injected heading');
    expect(result.failureMessages).toContain('Expected integer / Received string "2024-05-01T10:00:00Z"');
    expect(result.skippedMessages).toContain(
      `vacuous: the other user's search returned no memories at all (query ${HOSTILE.fence})`,
    );
    // The hosted memmachine outcome's own reason, hostile markup and all, as the parser reads it.
    expect(result.skippedMessages).toContain(`vacuous: ${NO_SCORE_REASON}`);
  });
});
