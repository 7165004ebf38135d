// Drives headless Chromium (Debian's, through playwright-core) through the GraphiQL page.
// argv: GRAPHQL_URL ACCESS_TOKEN EMAIL SCREENSHOT_DIR. Prints what the page showed and every
// request that failed, went to another host, or logged an error, as JSON.
import { chromium } from 'playwright-core';

const [url, token, email, screenshots] = process.argv.slice(2);
const TIMEOUT_MS = 20_000;
// A cold Chromium start on a busy 2-core machine has been seen to take over 20 s.
const LAUNCH_TIMEOUT_MS = 60_000;
const origin = new URL(url).origin;
const report = { requests: [], failed: [], foreign: [], consoleErrors: [], pageErrors: [] };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  timeout: LAUNCH_TIMEOUT_MS,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
  ],
});
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  page.on('request', (request) => {
    report.requests.push(`${request.method()} ${request.url()}`);
    if (!request.url().startsWith('data:') && new URL(request.url()).origin !== origin) report.foreign.push(request.url());
  });
  page.on('requestfailed', (request) => report.failed.push(`${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) report.failed.push(`${response.url()} HTTP ${response.status()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') report.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => report.pageErrors.push(String(error)));

  // A first visit: the example tabs, the schema loaded (Docs), nothing fetched from elsewhere.
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor();
  report.tabs = await page.locator('.graphiql-tab').allInnerTexts();
  report.firstQuery = await page.locator('.graphiql-query-editor .CodeMirror-code').first().innerText();
  await page.screenshot({ path: `${screenshots}/graphiql-examples.png` });
  // The Docs pane lists the root types only once introspection has come back.
  await page.getByLabel('Show Documentation Explorer').click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.filter({ hasText: 'mutation:' }).waitFor();
  report.docs = await docs.innerText();

  // A shared link with a token in the headers: run it with the play button, read the result.
  const link = new URL(url);
  link.searchParams.set('q', 'query Me {\n  me {\n    email\n    role\n  }\n}\n');
  link.searchParams.set('headers', JSON.stringify({ Authorization: `Bearer ${token}` }));
  await page.goto(link.toString(), { waitUntil: 'networkidle' });
  await page.locator('.graphiql-execute-button').click();
  const response = page.locator('.graphiql-response');
  await response.filter({ hasText: email }).waitFor();
  report.response = await response.innerText();
  await page.screenshot({ path: `${screenshots}/graphiql-me.png` });
  await page.waitForLoadState('networkidle');
} catch (error) {
  report.error = String(error);
  const [page] = browser.contexts()[0]?.pages() ?? [];
  if (page) await page.screenshot({ path: `${screenshots}/graphiql-failure.png` }).catch(() => {});
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(report));
