// Drives Berguru's web app in headless Chromium as an official would:
// search with a typo and a filter, open a practice, find a guru for Lebak
// (36.02) on e-office, plan a two-day visit and download its calendar,
// switch language. Saves a screenshot per flow, runs axe-core on every page
// (fails on any serious or critical violation), reads the pages once more
// without JavaScript, and measures each page's first-load weight (fails
// above 200 KB). Fails if any request leaves the server.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const base = (process.argv[2] ?? 'http://127.0.0.1:18096').replace(/\/$/, '');
const out = process.env.WEBAPP_OUT ?? 'webapp-output';
mkdirSync(out, { recursive: true });
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const outside = [];
const errors = [];
const axeTotals = { minor: 0, moderate: 0, serious: 0, critical: 0 };
const axeBad = [];
function fail(msg) { throw new Error(msg); }
function watch(page) {
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
}
async function axe(page, name) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  const counts = { minor: 0, moderate: 0, serious: 0, critical: 0 };
  for (const v of result.violations) {
    counts[v.impact] = (counts[v.impact] ?? 0) + v.nodes.length;
    axeTotals[v.impact] = (axeTotals[v.impact] ?? 0) + v.nodes.length;
    if (v.impact === 'serious' || v.impact === 'critical') {
      axeBad.push(`${name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  console.log(`axe ${name}: critical ${counts.critical}, serious ${counts.serious}, moderate ${counts.moderate}, minor ${counts.minor}` +
    (result.violations.length ? ` (${result.violations.map((v) => v.id).join(', ')})` : ''));
}
async function shot(page, name) {
  const file = join(out, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot ${file}`);
}

try {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watch(page);

  // The checker itself: axe must see a known critical violation (an image
  // without text), or a page of zeros would prove nothing.
  await page.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="data:,"></main></html>');
  await page.addScriptTag({ path: axePath });
  const probe = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  if (!probe.violations.some((v) => v.id === 'image-alt' && v.impact === 'critical')) fail('axe did not flag an image without alt');
  console.log(`axe ${await page.evaluate(() => window.axe.version)} flags a known violation (image-alt, critical)`);

  // 1. Search with a typo, then a filter (the script applies a checkbox at once).
  await page.goto(base + '/');
  if ((await page.getAttribute('html', 'lang')) !== 'id') fail('the app is not in Indonesian by default');
  await axe(page, 'home');
  // Keyboard: the first Tab reaches the skip link, which leads into <main>,
  // and the next Tab reaches the search box.
  await page.keyboard.press('Tab');
  if (await page.evaluate(() => document.activeElement.className) !== 'skip') fail('the first Tab does not reach the skip link');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  if (await page.evaluate(() => document.activeElement.id) !== 'q') fail('skip link then Tab does not reach the search box');
  console.log('keyboard: Tab -> skip link -> Enter -> Tab -> search box');
  await page.fill('#q', 'e-ofice');
  await Promise.all([page.waitForURL(/q=e-ofice/), page.press('#q', 'Enter')]);
  await page.locator('a[href="/practices/sumedang-e-office"]').waitFor();
  await Promise.all([page.waitForURL(/sector=E_GOVERNMENT/),
                     page.check('input[name="sector"][value="E_GOVERNMENT"]')]);
  await page.locator('a[href="/practices/sumedang-e-office"]').waitFor();
  if (!(await page.isChecked('input[name="sector"][value="E_GOVERNMENT"]'))) fail('the filter is not kept');
  console.log('search "e-ofice" + sector filter:', (await page.textContent('#results-h')).trim(), '->', page.url().replace(base, ''));
  await axe(page, 'search');
  await shot(page, 'search');

  // 2. Open the practice.
  await Promise.all([page.waitForURL(/\/practices\/sumedang-e-office/),
                     page.click('a[href="/practices/sumedang-e-office"]')]);
  const owner = await page.textContent('main .meta a[href="/regions/32.11"]');
  if (owner !== 'Kabupaten Sumedang') fail(`practice owner: ${owner}`);
  console.log('practice:', (await page.textContent('h1')).trim(), '- owner', owner);
  await axe(page, 'practice');
  await shot(page, 'practice');

  // 3. A guru for Lebak on e-office: Sumedang first, with its reasons.
  await page.goto(base + '/guru');
  await page.selectOption('#seeker', '36.02');
  await page.fill('#topic', 'e-office');
  await Promise.all([page.waitForURL(/seeker=36.02/), page.click('main form button[type=submit]')]);
  const first = page.locator('.gurus > li').first();
  const firstName = (await first.locator('h3').textContent()).trim();
  if (!firstName.includes('Sumedang')) fail(`first guru: ${firstName}`);
  const reasons = await first.locator('table.reasons tbody tr').allTextContents();
  if (reasons.length < 2) fail('the first guru shows no reasons');
  const bars = await first.locator('td.bar span').count();
  if (bars !== reasons.length) fail(`bars ${bars} for ${reasons.length} reasons`);
  console.log(`guru for Lebak on e-office: 1. ${firstName}, ${reasons.length} reasons drawn as bars`);
  if ((await page.locator('svg.map circle').count()) < 2) fail('gurus are not on the map');
  await axe(page, 'guru');
  await shot(page, 'guru');

  // 4. Plan a two-day visit, download the calendar, try saving with a token.
  await page.goto(base + '/plan');
  await page.selectOption('#seeker', '36.02');
  await page.fill('#topic1', 'e-office');
  await page.fill('#topic2', 'desa digital');
  await page.fill('#from', '2026-12-01');
  await page.fill('#to', '2026-12-02');
  await Promise.all([page.waitForURL(/from=2026-12-01/), page.click('main form.inline button[type=submit]')]);
  if ((await page.locator('svg.map polyline.route').count()) !== 1) fail('no route on the map');
  const days = await page.locator('#sch-h ~ .scroll caption').allTextContents();
  if (days.length < 1) fail('no day schedule');
  console.log('plan: days', days.join(' | '));
  const [download] = await Promise.all([page.waitForEvent('download'),
                                        page.click('a[href^="/visits/plan.ics"]')]);
  const ics = readFileSync(await download.path(), 'utf8');
  writeFileSync(join(out, 'plan.ics'), ics);
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l !== '');
  if (lines[0] !== 'BEGIN:VCALENDAR' || lines.at(-1) !== 'END:VCALENDAR') fail('calendar does not parse: ' + ics.slice(0, 200));
  const opened = lines.filter((l) => l === 'BEGIN:VEVENT').length;
  const closed = lines.filter((l) => l === 'END:VEVENT').length;
  if (opened < 1 || opened !== closed) fail(`VEVENTs ${opened}/${closed}`);
  if (!lines.every((l) => /^[A-Z-]+[;:]/.test(l))) fail('a calendar line is not a property');
  console.log(`calendar ${download.suggestedFilename()}: ${opened} events, ${lines.length} lines`);
  // Saving: the token goes to sessionStorage and to /graphql only.
  const sent = [];
  page.on('request', (r) => { if (r.headers().authorization) sent.push(r.url()); });
  await page.fill('#token', 'not-a-real-token');
  await page.click('#save-plan button[type=submit]');
  await page.waitForFunction(() => document.getElementById('save-result').textContent.length > 0);
  const saved = await page.textContent('#save-result');
  if (!/UNAUTHENTICATED/.test(saved)) fail('a bad token was not refused: ' + saved);
  if (await page.evaluate(() => sessionStorage.getItem('berguru.token')) !== 'not-a-real-token') fail('token not in sessionStorage');
  if (await page.evaluate(() => localStorage.length) !== 0) fail('something went to localStorage');
  if (sent.length !== 1 || sent[0] !== base + '/graphql') fail('token sent to ' + sent.join(', '));
  await page.click('#forget-token');
  if (await page.evaluate(() => sessionStorage.getItem('berguru.token')) !== null) fail('token not forgotten');
  console.log('save with a bad token:', saved.trim());
  await axe(page, 'plan');
  await shot(page, 'plan');

  // 5. Switch language: English, remembered across pages.
  await Promise.all([page.waitForURL(/lang=en/), page.click('a.lang')]);
  if ((await page.getAttribute('html', 'lang')) !== 'en') fail('no English');
  const nav = await page.textContent('nav');
  if (!nav.includes('Search practices')) fail('menu not in English: ' + nav);
  await page.goto(base + '/?q=e-ofice');
  if (!(await page.textContent('#results-h')).includes('practices found')) fail('English not remembered');
  console.log('language switch: menu reads', nav.replace(/\s+/g, ' ').trim());
  await axe(page, 'search (English)');
  await shot(page, 'lang-en');

  // The other pages, checked by axe.
  for (const [name, path] of [['region', '/regions/32.11'], ['cooperation', '/cooperation?region=32'],
                              ['cooperation form', '/cooperation'], ['not found', '/practices/no-such-practice']]) {
    await page.goto(base + path + (path.includes('?') ? '&' : '?') + 'lang=id');
    await axe(page, name);
  }
  await shot(page, 'not-found');
  await context.close();

  // Without JavaScript the reading pages work as plain HTML.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await nojs.newPage();
  watch(plain);
  await plain.goto(base + '/?q=e-ofice&sector=E_GOVERNMENT');
  await plain.locator('a[href="/practices/sumedang-e-office"]').waitFor();
  await plain.goto(base + '/guru?seeker=36.02&topic=e-office');
  if (!(await plain.locator('.gurus > li h3').first().textContent()).includes('Sumedang')) fail('no-JS guru page');
  console.log('without JavaScript: search and guru pages read the same');
  await nojs.close();

  // First-load weight of each page: everything transferred on a cold cache.
  const weights = [];
  for (const path of ['/', '/?q=e-ofice&sector=E_GOVERNMENT', '/practices/sumedang-e-office', '/regions/32',
                      '/guru?seeker=36.02&topic=e-office',
                      '/plan?seeker=36.02&topic=e-office&topic=desa+digital&from=2026-12-01&to=2026-12-02',
                      '/cooperation?region=32']) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    watch(p);
    const cdp = await ctx.newCDPSession(p);
    await cdp.send('Network.enable');
    let bytes = 0;
    let requests = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests += 1; });
    await p.goto(base + path, { waitUntil: 'networkidle' });
    weights.push({ path, kb: bytes / 1024, requests });
    await ctx.close();
  }
  for (const w of weights) console.log(`weight ${w.kb.toFixed(1).padStart(6)} KB in ${w.requests} requests  ${w.path}`);
  const heavy = weights.filter((w) => w.kb >= 200);
  if (heavy.length) fail('first load of 200 KB or more: ' + heavy.map((w) => w.path).join(', '));

  console.log(`axe totals: critical ${axeTotals.critical}, serious ${axeTotals.serious}, moderate ${axeTotals.moderate}, minor ${axeTotals.minor}`);
  if (axeBad.length) fail('accessibility violations:\n' + axeBad.join('\n'));
  if (errors.length) fail('page errors: ' + errors.join('; '));
  if (outside.length) fail('requests left the server: ' + outside.join(', '));
  console.log('web app: every flow passed in headless Chromium, no serious or critical axe violation, no outside request');
} finally {
  await browser.close();
}
