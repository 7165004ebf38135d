// Drives headless Chromium (Debian's, through playwright-core) through the GraphiQL page.
// argv: GRAPHQL_URL ACCESS_TOKEN EMAIL SCREENSHOT_DIR RECRUITER_TOKEN. Opens the guided tour and
// runs every tab in order; the subscription tab runs until a job that RECRUITER_TOKEN posts
// meanwhile arrives on it. Then a shared link. Prints what the page showed, each tab's response,
// the WebSocket frames, and every request that failed, went to another host, or logged an
// error, as JSON.
import { chromium } from 'playwright-core';

const [url, token, email, screenshots, recruiterToken] = process.argv.slice(2);
const TIMEOUT_MS = 30_000;
// A cold Chromium start on a busy 2-core machine has been seen to take over 20 s.
const LAUNCH_TIMEOUT_MS = 60_000;
const origin = new URL(url).origin;
const report = {
  requests: [], failed: [], foreign: [], consoleErrors: [], pageErrors: [], runs: [], frames: [],
};

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

const waiters = [];

function onFrame(text) {
  report.frames.push(text);
  for (const waiter of [...waiters]) {
    if (waiter.test(text)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(text);
    }
  }
}

function waitForFrame(test, what) {
  const seen = report.frames.find(test);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    waiters.push({ test, resolve });
    setTimeout(() => reject(new Error(`no WebSocket frame: ${what}`)), TIMEOUT_MS);
  });
}

async function responseText(page) {
  return page.locator('.graphiql-response .CodeMirror-code').first().innerText();
}

const CREATE_JOB = `mutation($input: JobInput!) { createJob(input: $input) { id } }`;
const POSTING = {
  title: 'Staff Backend Engineer (Python, Kubernetes)',
  description: 'Build and operate distributed Python services on PostgreSQL, Kubernetes and AWS.',
  location: 'San Francisco, CA',
  isRemote: true,
  skills: ['Python', 'PostgreSQL', 'Kubernetes', 'AWS'],
  seniority: 'SENIOR',
  experienceMin: 5,
};

// Runs the active tab; resolves with its response. The subscription tab runs until the server
// pushes the job posted meanwhile (a matchFound event), then is stopped.
async function runTab(page, name) {
  const execute = page.locator('.graphiql-execute-button');
  if (name === 'MatchFound') {
    await execute.click();
    await waitForFrame((f) => f.startsWith('received') && f.includes('connection_ack'), 'ack');
    await waitForFrame((f) => f.startsWith('sent') && f.includes('"subscribe"'), 'subscribe');
    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${recruiterToken}` },
      body: JSON.stringify({ query: CREATE_JOB, variables: { input: POSTING } }),
    }).then((r) => r.json());
    const event = await waitForFrame(
      (f) => f.startsWith('received') && (f.includes('"next"') || f.includes('"error"')),
      'matchFound event',
    );
    const response = page.locator('.graphiql-response');
    await response.filter({ hasText: 'matchFound' }).waitFor();
    const text = await responseText(page);
    await execute.click(); // stop
    return { tab: name, response: text, posted, event };
  }
  await execute.click();
  const response = page.locator('.graphiql-response');
  await response.filter({ hasText: /"(data|errors)"/ }).waitFor();
  return { tab: name, response: await responseText(page) };
}

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
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => onFrame(`sent ${frame.payload}`));
    socket.on('framereceived', (frame) => onFrame(`received ${frame.payload}`));
  });

  // A first visit: the tour's tabs, the schema loaded (Docs), nothing fetched from elsewhere.
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor();
  report.tabs = await page.locator('.graphiql-tab').allInnerTexts();
  report.firstQuery = await page.locator('.graphiql-query-editor .CodeMirror-code').first().innerText();
  report.firstHeaders = await page.evaluate(() => {
    const element = document.querySelectorAll('script.example')[1];
    return element ? element.dataset.headers : null;
  });
  await page.screenshot({ path: `${screenshots}/graphiql-examples.png` });
  // The Docs pane lists the root types only once introspection has come back.
  await page.getByLabel('Show Documentation Explorer').click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.filter({ hasText: 'mutation:' }).waitFor();
  report.docs = await docs.innerText();
  await page.getByLabel('Hide Documentation Explorer').click().catch(() => {});

  // The tour: every tab, in order, run as it opens.
  const tabs = page.locator('.graphiql-tab');
  for (let index = 0; index < report.tabs.length; index += 1) {
    await tabs.nth(index).locator('.graphiql-tab-button').click();
    await page.locator('.graphiql-query-editor .CodeMirror-code').first().waitFor();
    report.runs.push(await runTab(page, report.tabs[index].trim()));
  }
  await page.screenshot({ path: `${screenshots}/graphiql-tour.png` });

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
