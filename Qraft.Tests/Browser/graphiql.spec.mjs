#!/usr/bin/env node
// Browser check of GET /graphql/ (SPEC §3, compatibility 5): GraphiQL renders from the
// app's own assets, signs a user up, logs in, and calls `me` with the token sent from
// the headers editor, all without the page reaching any other origin.
//
// Uses the system Chromium and never downloads a browser.
//
//   QRAFT_URL=https://localhost:8443 SCREENSHOT_PATH=artifacts/graphiql.png \
//     node Qraft.Tests/Browser/graphiql.spec.mjs
//
// Environment:
//   QRAFT_URL                  base URL of the app or of HAProxy (required)
//   SCREENSHOT_PATH            where to save a PNG of the final page (default graphiql.png)
//   QRAFT_CA_CERT              PEM file of the CA that signed the server certificate; Node
//                              verifies the server against it, then Chromium is told to
//                              trust that server key (Chromium has no "CA file" switch)
//   QRAFT_IGNORE_HTTPS_ERRORS  "1" to skip certificate checks entirely
//   CHROMIUM_PATH              browser binary (default /usr/bin/chromium)
//   QRAFT_TIMEOUT_MS           per-step timeout (default 30000)
// Exit code 0 on success; otherwise 1 with the reason on stderr.

import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { connect } from 'node:tls';
import { chromium } from 'playwright-core';

const timeout = Number(process.env.QRAFT_TIMEOUT_MS ?? 30000);
const screenshotPath = resolve(process.env.SCREENSHOT_PATH ?? 'graphiql.png');

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) {
    throw new CheckFailed(message);
  }
}

// Pins the server's key for Chromium only after Node has verified the certificate chain
// against the given CA, so the browser trusts exactly what a CA-aware client would.
async function spkiPinFor(url, caFile) {
  const ca = await readFile(caFile);
  return new Promise((resolvePin, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 443), servername: url.hostname, ca }, () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      // Chromium pins the SHA-256 of the DER SubjectPublicKeyInfo, not of the bare key Node reports as `pubkey`.
      const spki = new X509Certificate(certificate.raw).publicKey.export({ type: 'spki', format: 'der' });
      resolvePin(createHash('sha256').update(spki).digest('base64'));
    });
    socket.on('error', (error) => reject(new CheckFailed(`TLS check of ${url.host} against ${caFile} failed: ${error.message}`)));
  });
}

// GraphiQL's editors are CodeMirror 5 instances; the wrapper element exposes the editor.
function editorValue(page, selector) {
  return page.evaluate((s) => document.querySelector(s)?.CodeMirror?.getValue() ?? '', selector);
}

async function typeInto(page, selector, text) {
  await page.locator(selector).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText bypasses key events, so the editor's bracket auto-closing cannot double braces.
  await page.keyboard.insertText(text);
  const value = await editorValue(page, selector);
  check(value === text, `editor ${selector} holds ${JSON.stringify(value)} instead of the typed text`);
}

async function run(page, operationName, accept) {
  // GraphiQL parses the query a moment after an edit; clicking earlier would act on the
  // previous text (the default query's several operations turn the button into a picker).
  // Parsing has caught up when the tab is named after this operation and the button no
  // longer opens a menu.
  await page.waitForFunction(
    (name) =>
      document.querySelector('.graphiql-tab-active')?.textContent?.trim() === name &&
      !document.querySelector('.graphiql-execute-button')?.hasAttribute('aria-haspopup'),
    operationName,
    { timeout },
  );
  const responseSelector = '.graphiql-response .CodeMirror';
  const before = await editorValue(page, responseSelector);
  await page.locator('.graphiql-execute-button').click();
  await page.waitForFunction(
    ([s, previous]) => {
      const value = document.querySelector(s)?.CodeMirror?.getValue() ?? '';
      return value !== '' && value !== previous;
    },
    [responseSelector, before],
    { timeout },
  );
  const text = await editorValue(page, responseSelector);
  let result;
  try {
    result = JSON.parse(text);
  } catch {
    throw new CheckFailed(`${operationName}: the result pane is not JSON: ${text}`);
  }
  check(!result.errors, `${operationName}: errors in the result pane: ${JSON.stringify(result.errors)}`);
  check(accept(result.data), `${operationName}: unexpected result: ${text}`);
  return result.data;
}

async function main() {
  check(process.env.QRAFT_URL, 'QRAFT_URL is not set (for example https://localhost:8443)');
  const base = new URL(process.env.QRAFT_URL);
  const endpoint = new URL('/graphql/', base);

  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ];
  if (base.protocol === 'https:' && process.env.QRAFT_CA_CERT) {
    args.push(`--ignore-certificate-errors-spki-list=${await spkiPinFor(base, process.env.QRAFT_CA_CERT)}`);
  }

  const userDataDir = await mkdtemp(join(tmpdir(), 'qraft-graphiql-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args,
    ignoreHTTPSErrors: process.env.QRAFT_IGNORE_HTTPS_ERRORS === '1',
    viewport: { width: 1400, height: 900 },
  });
  const offOrigin = [];
  const problems = [];
  let page;
  try {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === base.origin) {
        return route.continue();
      }
      offOrigin.push(url);
      return route.abort('blockedbyclient');
    });

    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeout);
    page.on('websocket', (socket) => {
      if (new URL(socket.url()).host !== base.host) {
        offOrigin.push(socket.url());
      }
    });
    // CSP violations and script errors surface here; either means the page is broken somewhere.
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(`console: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) {
        problems.push(`HTTP ${response.status()} for ${response.url()}`);
      }
    });

    const response = await page.goto(endpoint.href, { waitUntil: 'load' });
    check(response?.status() === 200, `GET ${endpoint.href} returned ${response?.status()}`);
    check(
      (response.headers()['content-type'] ?? '').startsWith('text/html'),
      `GET ${endpoint.href} returned ${response.headers()['content-type']}, not HTML`,
    );

    const queryEditor = '.graphiql-query-editor .CodeMirror';
    await page.waitForSelector(queryEditor, { state: 'visible' });
    await page.waitForSelector('.graphiql-execute-button', { state: 'visible' });

    const email = `graphiql-${Date.now()}-${randomBytes(4).toString('hex')}@example.com`;
    const password = `Gq-${randomBytes(12).toString('base64url')}-9`;

    await typeInto(
      page,
      queryEditor,
      `mutation CreateUser {\n  createUser(email: "${email}", password: "${password}") {\n    user {\n      email\n      dateJoined\n    }\n  }\n}\n`,
    );
    await run(page, 'CreateUser', (data) => data?.createUser?.user?.email === email);

    await typeInto(
      page,
      queryEditor,
      `mutation Login {\n  login(email: "${email}", password: "${password}") {\n    token\n    payload\n  }\n}\n`,
    );
    const login = await run(
      page,
      'Login',
      (data) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(data?.login?.token ?? '') && data.login.payload?.email === email,
    );

    // The headers editor is how GraphiQL users authenticate; the page opens it by default.
    const headersEditor = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';
    await page.locator('.graphiql-editor-tools button', { hasText: 'Headers' }).click();
    await page.waitForSelector(headersEditor, { state: 'visible' });
    await typeInto(page, headersEditor, JSON.stringify({ Authorization: `JWT ${login.login.token}` }, null, 2));
    await typeInto(page, queryEditor, 'query Me {\n  me {\n    email\n  }\n}\n');
    await run(page, 'Me', (data) => data?.me?.email === email);

    check(offOrigin.length === 0, `the page tried to reach ${offOrigin.length} URL(s) on other origins, listed above`);
    check(problems.length === 0, `the page reported ${problems.length} problem(s), listed above`);
    console.log(`graphiql.spec: OK (${endpoint.href}, user ${email})`);
  } finally {
    // Reported on failure too: a blocked request or a script error often explains a timeout.
    for (const url of offOrigin) {
      console.error(`graphiql.spec: blocked request to another origin: ${url}`);
    }
    for (const problem of problems) {
      console.error(`graphiql.spec: ${problem}`);
    }
    if (page) {
      await mkdir(dirname(screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath }).catch(() => {});
      console.log(`graphiql.spec: screenshot ${screenshotPath}`);
    }
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`graphiql.spec: FAILED: ${error instanceof CheckFailed ? error.message : error.stack ?? error}`);
    process.exit(1);
  },
);
