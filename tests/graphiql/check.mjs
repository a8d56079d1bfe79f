// Opens GraphiQL (at /graphiql) in headless Chromium, runs a query and checks the result,
// then opens the docs explorer on Query and Practice;
// fails if the page asked any host other than the server for anything.
import { chromium } from 'playwright-core';

const base = (process.argv[2] ?? 'http://127.0.0.1:18091').replace(/\/$/, '');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const outside = [];
try {
  const page = await browser.newPage();
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(base + '/graphiql', { waitUntil: 'networkidle' });
  await page.waitForSelector('.graphiql-container', { timeout: 20000 });
  // Replace the editor's text with our query and run it.
  const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
  await editor.click();
  await page.evaluate(() => {
    document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror
      .setValue('{ regions { totalCount } }');
  });
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    () => document.querySelector('.graphiql-response')?.innerText.includes('totalCount'),
    null, { timeout: 20000 });
  const result = await page.locator('.graphiql-response').innerText();
  console.log('GraphiQL answered:', result.replace(/\s+/g, ' ').trim());
  if (!result.includes('552')) throw new Error('expected 552 regions in the result pane');
  // The docs explorer: filled only when the introspection query passes the
  // server's limits (it was refused as QUERY_TOO_DEEP once).
  await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
  const docs = page.locator('.graphiql-doc-explorer');
  for (const [type, expected] of [['Query', 'The root of all reads.'],
                                  ['Practice', 'A best practice or innovation']]) {
    await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: new RegExp(`^${type}$`) })
      .first().click({ timeout: 20000 });
    await page.waitForFunction(
      (t) => document.querySelector('.graphiql-doc-explorer')?.innerText.includes(t),
      expected, { timeout: 20000 });
    console.log(`docs explorer shows ${type}: "${expected}"`);
    await page.click('.graphiql-doc-explorer-back');
  }
  if (errors.length) throw new Error('page errors: ' + errors.join('; '));
  if (outside.length) throw new Error('requests left the server: ' + outside.join(', '));
  console.log('GraphiQL loaded with no outside request, ran a query and showed the documented schema in headless Chromium');
} finally {
  await browser.close();
}
