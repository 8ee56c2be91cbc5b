// The dashboard in a real browser (Debian's headless chromium, driven by playwright-core; no browser
// is ever downloaded). tests/integration/browser.sh starts `jvap serve` on the demo's 2025-H1 data
// and runs this with:
//   JVAP_URL                 the service, e.g. http://127.0.0.1:41234/
//   JVAP_TOKEN_FOCAL         an IOM focal-point token
//   JVAP_TOKEN_SECRETARIAT   a secretariat token
//   JVAP_TOKEN_VIEWER        a viewer token (optional: checks a viewer sees the reports only)
//   JVAP_TOKEN_OTHER, JVAP_OTHER_ORG, JVAP_OTHER_UPLOAD
//                            a contributor token of another organisation and a valid upload of
//                            it (optional: the secretariat uploads it for that organisation and
//                            returns it with a comment; the contributor reads it and resubmits)
//   JVAP_UPLOAD              a valid IOM upload for JVAP_PERIOD (default: the demo's 2025-H2/IOM.csv)
//   JVAP_PERIOD              default 2025-H2
//   JVAP_SCREENSHOTS         a folder to keep the screenshots in (optional)
//   JVAP_CHROMIUM            the browser (default /usr/lib/chromium/chromium)
// The scenario: keyboard sign-in as the IOM focal point; a dry run of a file with errors shows the
// rejected rows; the fixed file passes a dry run and is submitted; the missing-report finding about
// one of its initiatives, listed before, is absent from the upload's feedback and from the open
// findings after; sign out; the secretariat verifies the submission in the review queue and
// downloads the joint report; French labels; the phone layout; no CSP violation, no script error.
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const URL_ = env.JVAP_URL;
const FOCAL = env.JVAP_TOKEN_FOCAL;
const SECRETARIAT = env.JVAP_TOKEN_SECRETARIAT;
const VIEWER = env.JVAP_TOKEN_VIEWER || '';
const OTHER = env.JVAP_TOKEN_OTHER || '';
const OTHER_ORG = env.JVAP_OTHER_ORG || '';
const OTHER_UPLOAD = env.JVAP_OTHER_UPLOAD || '';
const PERIOD = env.JVAP_PERIOD || '2025-H2';
const UPLOAD = env.JVAP_UPLOAD || join(here, '../../plans/demo/uploads', PERIOD, 'IOM.csv');
const SHOTS = env.JVAP_SCREENSHOTS || '';
const EXE = env.JVAP_CHROMIUM || '/usr/lib/chromium/chromium';
// A missing-report finding the upload resolves: an initiative IOM reports on, in the file.
const SUBJECT = env.JVAP_SUBJECT || 'DEMO-P002';

class Failure extends Error {}
function check(cond, message) { if (!cond) throw new Failure(message); }
function step(text) { console.log('- ' + text); }

for (const [name, v] of [['JVAP_URL', URL_], ['JVAP_TOKEN_FOCAL', FOCAL], ['JVAP_TOKEN_SECRETARIAT', SECRETARIAT]]) {
  if (!v) { console.error(`FAIL: ${name} is not set (tests/integration/browser.sh sets it)`); process.exit(2); }
}
if (!existsSync(EXE)) { console.error(`FAIL: no browser at ${EXE} (apt-get install chromium, or set JVAP_CHROMIUM)`); process.exit(2); }
if (!existsSync(UPLOAD)) { console.error(`FAIL: no upload file ${UPLOAD}`); process.exit(2); }
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

const tmp = mkdtempSync(join(tmpdir(), 'jvap-browser-'));
const good = readFileSync(UPLOAD, 'utf8');
// The same file with two errors: a misspelt status and a value that is not a number.
const lines = good.split('\n');
const statusLine = lines.findIndex((l) => /,status,ongoing/.test(l));
const numberLine = lines.findIndex((l, i) => i !== statusLine && /,disbursed,[0-9.]+/.test(l));
check(statusLine > 0 && numberLine > 0, `${UPLOAD} has no status or disbursed row to spoil`);
const bad = lines.slice();
bad[statusLine] = bad[statusLine].replace(',status,ongoing', ',status,ongoingg');
bad[numberLine] = bad[numberLine].replace(/,disbursed,[0-9.]+/, ',disbursed,12O0');
const badPath = join(tmp, 'IOM-with-errors.csv');
writeFileSync(badPath, bad.join('\n'));
// And one with a row for an initiative IOM does not report on.
const notMine = lines.slice();
notMine[1] = notMine[1].replace(/^[^,]+/, 'DEMO-P001');
const notMinePath = join(tmp, 'IOM-not-mine.csv');
writeFileSync(notMinePath, notMine.join('\n'));
const dataRows = lines.slice(1).filter((l) => l.trim()).length;

const problems = []; // script errors and policy violations, from every page
let browser;

async function newPage(viewport, extra) {
  const context = await browser.newContext(Object.assign({ viewport, locale: 'en-GB', acceptDownloads: true }, extra || {}));
  const page = await context.newPage();
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
    });
  });
  page.on('pageerror', (e) => problems.push('script error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push('console: ' + m.text());
  });
  page.setDefaultTimeout(20000);
  return page;
}

async function shot(page, name, opts) {
  if (!SHOTS) return;
  await page.mouse.move(0, 0); // no hover look
  await page.screenshot(Object.assign({ path: join(SHOTS, name), animations: 'disabled' }, opts || {}));
  step(`screenshot ${name}`);
}

const text = (page, sel) => page.locator(sel).innerText();
async function idle(page, sel) {
  await page.waitForSelector(`${sel}:not([aria-busy])`, { state: 'attached' });
  await page.waitForFunction((s) => { const e = document.querySelector(s); return e && !e.hasAttribute('aria-busy') && e.textContent.trim() !== ''; }, sel);
}
async function visibleTabs(page) {
  return page.$$eval('.tab-list li', (lis) => lis.filter((li) => !li.hidden).map((li) => li.dataset.tab));
}
async function statusText(page) { return (await text(page, '#status')) + (await text(page, '#error')); }
async function waitStatus(page, re) {
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('#status').textContent + ' ' + document.querySelector('#error').textContent), re.source);
}

async function signInWithForm(page, token) {
  await page.fill('#token-input', token);
  await page.click('#signin-button');
  await page.waitForSelector('#app:not([hidden])');
}

async function openTab(page, tab, resultSel) {
  await page.click(`button.tab[data-tab="${tab}"]`);
  check(await page.locator(`#panel-${tab}`).isVisible(), `the ${tab} tab does not show its panel`);
  if (resultSel) await idle(page, resultSel);
}

async function findingRows(page, rule, subject) {
  return page.locator('#findings-result tbody tr').filter({ hasText: rule }).filter({ hasText: subject }).count();
}

async function main() {
  browser = await chromium.launch({ executablePath: EXE, args: ['--no-sandbox'], headless: true });
  step(`chromium ${browser.version()}`);

  // ---- The laptop: sign-in by keyboard ----
  const page = await newPage({ width: 1280, height: 800 });
  const res = await page.goto(URL_);
  check(res && res.ok(), `GET ${URL_} answered ${res && res.status()}`);
  const csp = res.headers()['content-security-policy'] || '';
  check(/script-src 'self'/.test(csp) && /form-action 'none'/.test(csp), `the dashboard has no strict Content-Security-Policy: ${csp}`);
  check((await page.title()) === 'JVAP monitoring', `title: ${await page.title()}`);
  check(await page.locator('#signin').isVisible(), 'the sign-in form is not shown');

  step('keyboard: Tab reaches the token field and the sign-in button');
  const order = [];
  for (let i = 0; i < 8 && !order.includes('signin-button'); i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.className || document.activeElement.tagName));
  }
  check(order[0] === 'skip-link', `the first Tab stop is not the skip link: ${order.join(', ')}`);
  const fieldAt = order.indexOf('token-input');
  check(fieldAt > 0 && order[fieldAt + 1] === 'signin-button', `Tab does not go token field -> sign-in button: ${order.join(', ')}`);
  await page.focus('#token-input');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(outline !== 'none', 'the focused token field has no visible outline');
  step('a wrong token is refused with the service\'s message');
  await page.keyboard.type('jvap_nothere1_' + 'x'.repeat(43));
  await page.keyboard.press('Enter');
  await waitStatus(page, /not known|does not hold|token/);
  check(await page.locator('#signin').isVisible(), 'a wrong token signed in');
  await page.fill('#token-input', '');
  await page.focus('#token-input');
  await page.keyboard.type(FOCAL);
  await page.keyboard.press('Enter'); // submits the form from the keyboard
  await page.waitForSelector('#app:not([hidden])');
  check((await text(page, '#whoami-org')) === 'IOM', `signed in as ${await text(page, '#whoami-org')}, not IOM`);
  check(/focal point/.test(await text(page, '#whoami-role')), 'the role is not shown');
  check(await page.evaluate(() => sessionStorage.getItem('jvap.token') !== null), 'the token is not in sessionStorage');
  check(await page.evaluate(() => document.cookie === ''), 'the dashboard set a cookie');
  const focalTabs = await visibleTabs(page);
  check(JSON.stringify(focalTabs) === JSON.stringify(['upload', 'owed', 'submissions', 'findings', 'completeness', 'commitments', 'reports']),
    `a focal point sees the tabs ${focalTabs.join(', ')}`);

  step('periods: newest first, the default has started');
  const periods = await page.$$eval('#period option', (os) => os.map((o) => o.value));
  check(periods.length > 10 && periods[0] > periods[periods.length - 1], `periods are not newest first: ${periods.slice(0, 3)}`);
  check(periods.includes(PERIOD), `no period ${PERIOD}`);
  await page.selectOption('#period', PERIOD);

  step(`findings before the upload: missing-report ${SUBJECT} is listed`);
  await openTab(page, 'findings', '#findings-result');
  check(await findingRows(page, 'missing-report', SUBJECT) === 1, `no missing-report finding for ${SUBJECT} before the upload`);
  check(/^\d+ of \d+ findings$/.test(await text(page, '#findings-result .findings-count')), `no "N of M": ${await text(page, '#findings-result .findings-count')}`);

  step('what IOM still owes, and the template');
  await openTab(page, 'owed', '#owed-result');
  check(await page.locator('#owed-result tbody tr').filter({ hasText: SUBJECT }).count() > 0, `${SUBJECT} is not in what IOM owes`);
  const [tpl] = await Promise.all([page.waitForEvent('download'), page.click('#template-form button[type="submit"]')]);
  check(/^template-IOM-.*\.csv$/.test(tpl.suggestedFilename()), `template file name ${tpl.suggestedFilename()}`);
  const tplText = readFileSync(await tpl.path(), 'utf8');
  check(tplText.includes(SUBJECT), 'the template does not list the initiative owed');

  step('dry run of a file with errors: the rejected rows are listed');
  await openTab(page, 'upload');
  for (let i = 0; i < 12 && await page.evaluate(() => document.activeElement.id) !== 'upload-file'; i++) await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.id) === 'upload-file', 'Tab does not reach the file field');
  check(await page.$eval('label.file-button[for="upload-file"]', (l) => getComputedStyle(l).outlineStyle) === 'solid',
    'the focused file field shows no focus ring');
  await page.setInputFiles('#upload-file', badPath);
  await page.click('#upload-form button[value="dry"]');
  await idle(page, '#upload-result');
  const counts = await text(page, '#upload-result .count-line');
  check(counts === `${dataRows - 2} rows accepted, 2 rejected`, `the counts say "${counts}"`);
  const problemRows = await page.locator('#upload-result table.problems tbody tr').allInnerTexts();
  check(problemRows.length === 2, `${problemRows.length} problem rows, not 2`);
  check(problemRows[0].includes(String(statusLine + 1)) && /ongoingg/.test(problemRows[0]), `the status problem: ${problemRows[0]}`);
  check(problemRows[1].includes(String(numberLine + 1)) && /12O0/.test(problemRows[1]), `the number problem: ${problemRows[1]}`);
  check(/2 rows have problems/.test(await text(page, '#error')), `the error region says "${await text(page, '#error')}"`);
  await shot(page, 'dashboard-upload-errors.png', { fullPage: true });

  step('a row for an initiative IOM does not report on is refused (403)');
  await page.setInputFiles('#upload-file', notMinePath);
  await page.click('#upload-form button[value="dry"]');
  await idle(page, '#upload-result');
  check(/does not report on/.test(await text(page, '#upload-result')), 'the not-yours problem is not shown');
  check(await page.locator('#upload-result .badge', { hasText: 'not yours' }).count() === 1, 'the not-yours row is not marked');

  step('the fixed file passes a dry run, then is submitted');
  await page.setInputFiles('#upload-file', UPLOAD);
  await page.click('#upload-form button[value="dry"]');
  await idle(page, '#upload-result');
  check(/nothing was stored \(dry run\)/.test(await text(page, '#upload-result')), 'the dry run did not pass');
  check((await text(page, '#upload-result .count-line')) === `${dataRows} rows accepted, 0 rejected`, 'the dry run counts');
  await page.click('#upload-form button[value="submit"]');
  await idle(page, '#upload-result');
  const stored = await text(page, '#upload-result');
  const sub = /submitted as submission (\d+)/.exec(stored);
  check(sub, `the upload was not stored: ${stored.slice(0, 300)}`);
  const feedback = page.locator('#upload-result table.findings tbody tr');
  check(await feedback.count() > 0, 'the upload\'s feedback lists no findings');
  check(await feedback.filter({ hasText: 'missing-report' }).filter({ hasText: SUBJECT }).count() === 0,
    `the feedback still has missing-report for ${SUBJECT}`);
  step(`submission ${sub[1]}: missing-report ${SUBJECT} is gone from the feedback`);
  await page.click('#upload-form button[value="submit"]');
  await idle(page, '#upload-result');
  check(/already awaiting review/.test(await text(page, '#error')), `sending the same file again: "${await text(page, '#error')}"`);
  step('the same file again is refused (409) with the service\'s message');

  step('the open findings after the upload');
  await openTab(page, 'findings', '#findings-result');
  check(await findingRows(page, 'missing-report', SUBJECT) === 0, `missing-report for ${SUBJECT} is still open after the upload`);

  step('my submissions: awaiting review');
  await openTab(page, 'submissions', '#submissions-result');
  const card = page.locator(`#submissions-result [data-submission="${sub[1]}"]`);
  check(/awaiting review/.test(await card.innerText()), 'the submission is not shown as awaiting review');
  await card.locator('button[aria-expanded]').click();
  await page.waitForSelector(`#sub-detail-${sub[1]}:not([hidden]) .events li`);
  check(/submitted by/.test(await text(page, `#sub-detail-${sub[1]}`)), 'the submission\'s history is not shown');

  step('completeness: each percentage says what it covers');
  await openTab(page, 'completeness', '#completeness-result');
  const comp = await text(page, '#completeness-result');
  check(/\d+(\.\d)?% \(\d+ of \d+ expected reports\)/.test(comp), 'no "P% (N of M expected reports)" in completeness');
  await shot(page, 'dashboard-laptop.png');

  step('French: the labels switch and the choice is remembered');
  await page.click('.lang-button[data-lang="fr"]');
  check((await text(page, 'button.tab[data-tab="findings"]')) === 'Constats', 'the findings tab is not in French');
  check((await text(page, '#sign-out')) === 'Se déconnecter', 'sign out is not in French');
  check(/sur \d+ rapports attendus/.test(await text(page, '#completeness-result')), 'completeness is not in French');
  check(await page.evaluate(() => document.documentElement.lang) === 'fr', 'html lang is not fr');
  await page.reload();
  await page.waitForSelector('#app:not([hidden])'); // the token survives a reload of the tab
  check((await text(page, 'button.tab[data-tab="upload"]')) === 'Envoyer un rapport', 'French is not remembered after a reload');
  await page.click('#sign-out');
  await page.waitForSelector('#signin:not([hidden])');
  check((await text(page, '#signin-title')) === 'Connexion', 'the sign-in page is not in French');
  check(await page.evaluate(() => sessionStorage.getItem('jvap.token') === null), 'sign out left the token in sessionStorage');

  step('the secretariat (in French) sees the submission in the review queue');
  await signInWithForm(page, SECRETARIAT);
  const secTabs = await visibleTabs(page);
  check(secTabs.length === 8, `the secretariat sees ${secTabs.join(', ')}`);
  check(await page.locator('#orgs option[value="IOM"]').count() === 1, 'the organisation fields suggest no IOM');
  check(await page.locator('#panel-review').isVisible(), 'the secretariat does not start on the review queue');
  await idle(page, '#review-result');
  await page.selectOption('#period', PERIOD);
  await idle(page, '#review-result');
  const item = page.locator(`#review-result [data-submission="${sub[1]}"]`);
  check(await item.count() === 1, `submission ${sub[1]} is not in the review queue`);
  check(/IOM/.test(await item.innerText()) && /lignes/.test(await item.innerText()), 'the queue entry lacks the organisation or the counts');
  await page.click('.lang-button[data-lang="en"]');
  await shot(page, 'dashboard-review.png');
  step('returning needs a comment');
  await item.locator('button[data-action="return"]').click();
  await waitStatus(page, /what the partner must fix/);
  const [file] = await Promise.all([page.waitForEvent('download'), item.locator('button', { hasText: 'Download the file' }).click()]);
  check(readFileSync(await file.path(), 'utf8') === good, 'the submission\'s file is not the file sent');
  await page.click('.lang-button[data-lang="fr"]');
  await item.locator('button[data-action="verify"]').click();
  await waitStatus(page, new RegExp(`Envoi ${sub[1]} de IOM validé`));
  await idle(page, '#review-result');
  check(await page.locator(`#review-result [data-submission="${sub[1]}"]`).count() === 0, 'the verified submission is still in the queue');

  step('commitments and work-plan activities');
  await openTab(page, 'commitments', '#commitments-result');
  await idle(page, '#workplan-result');
  check(await page.locator('#commitments-result [data-table="commitments.list"] tbody tr').count() > 0, 'no commitments listed');
  check(await page.locator('#workplan-result [data-table="work_plan.activities"] tbody tr').count() > 0, 'no work-plan activities');

  step('reports: the joint report in HTML');
  await page.click('.lang-button[data-lang="en"]');
  await openTab(page, 'reports');
  await page.selectOption('#r-kind', 'joint');
  await page.selectOption('#r-format', 'html');
  const [rep] = await Promise.all([page.waitForEvent('download'), page.click('#report-form button[type="submit"]')]);
  const html = readFileSync(await rep.path(), 'utf8');
  check(html.includes('Joint Rabat-Khartoum monitoring report'), 'the joint report does not say "Joint Rabat-Khartoum monitoring report"');
  check(rep.suggestedFilename() === `joint-${PERIOD}.html`, `report file name ${rep.suggestedFilename()}`);

  if (OTHER && OTHER_ORG && OTHER_UPLOAD) {
    step(`the secretariat uploads for ${OTHER_ORG} and returns it with a comment`);
    await openTab(page, 'upload');
    await page.fill('#upload-org', OTHER_ORG);
    await page.setInputFiles('#upload-file', OTHER_UPLOAD);
    await page.click('#upload-form button[value="submit"]');
    await idle(page, '#upload-result');
    const other = /submitted as submission (\d+)/.exec(await text(page, '#upload-result'));
    check(other, `the secretariat's upload for ${OTHER_ORG} was not stored: ${(await text(page, '#upload-result')).slice(0, 300)}`);
    await openTab(page, 'review', '#review-result');
    const entry = page.locator(`#review-result [data-submission="${other[1]}"]`);
    check(new RegExp(OTHER_ORG).test(await entry.innerText()), `submission ${other[1]} is not shown as ${OTHER_ORG}'s`);
    const comment = 'Please add the narrative for <b>2025-H2</b> & resubmit.'; // markup stays text
    await entry.locator('textarea').fill(comment);
    await entry.locator('button[data-action="return"]').click();
    await waitStatus(page, new RegExp(`Submission ${other[1]} returned to ${OTHER_ORG}`));
    await page.click('#sign-out');

    step(`${OTHER_ORG}'s contributor reads the comment and resubmits`);
    await signInWithForm(page, OTHER);
    const ct = await visibleTabs(page);
    check(JSON.stringify(ct) === JSON.stringify(['upload', 'owed', 'submissions', 'commitments', 'reports']), `a contributor sees ${ct.join(', ')}`);
    await openTab(page, 'submissions', '#submissions-result');
    const mine = page.locator(`#submissions-result [data-submission="${other[1]}"]`);
    check((await mine.locator('.return-comment').innerText()) === comment, 'the return comment is not shown as sent');
    check(await page.locator('#submissions-result b').count() === 0, 'the comment was parsed as markup');
    await mine.locator('input[type="file"]').setInputFiles(OTHER_UPLOAD);
    await mine.locator('form.resubmit button[type="submit"]').click();
    await waitStatus(page, /submitted as submission/);
    await idle(page, '#submissions-result');
    check(/awaiting review/.test(await page.locator(`#submissions-result [data-submission="${other[1]}"]`).innerText()),
      'the resubmitted submission is not awaiting review');
  }
  await page.click('#sign-out');
  await page.context().close();

  if (VIEWER) {
    step('a viewer sees the reports only');
    const v = await newPage({ width: 1280, height: 800 });
    await v.goto(URL_);
    await signInWithForm(v, VIEWER);
    const vt = await visibleTabs(v);
    check(JSON.stringify(vt) === JSON.stringify(['commitments', 'reports']), `a viewer sees ${vt.join(', ')}`);
    await openTab(v, 'reports', '#report-form');
    check(await v.locator('#r-kind option[value="partner"]').evaluate((o) => o.disabled), 'a viewer may pick the partner report');
    step('a 401 (here a token revoked meanwhile) goes back to the sign-in with the message');
    await v.route('**/api/v1/reports/**', (route) => route.fulfill({
      status: 401, contentType: 'application/json',
      body: JSON.stringify({ error: { status: 401, code: 'token_revoked', message: 'this token was revoked on 2026-07-20' } })
    }));
    await v.click('#report-form button[type="submit"]');
    await v.waitForSelector('#signin:not([hidden])');
    check(/Sign in again: this token was revoked/.test(await text(v, '#error')), `after a 401: "${await text(v, '#error')}"`);
    check(await v.evaluate(() => sessionStorage.getItem('jvap.token') === null), 'a 401 left the token in sessionStorage');
    await v.context().close();
  }

  // ---- The phone ----
  step('the phone layout (375x740)');
  const phone = await newPage({ width: 375, height: 740 }, { isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'fr-FR' });
  await phone.goto(URL_);
  check((await text(phone, '#signin-title')) === 'Connexion', 'a browser in French does not start in French');
  await phone.click('.lang-button[data-lang="en"]');
  const overflowSignIn = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(overflowSignIn <= 375, `the sign-in page is ${overflowSignIn}px wide on a 375px phone`);
  await signInWithForm(phone, FOCAL);
  await phone.selectOption('#period', PERIOD);
  await openTab(phone, 'findings', '#findings-result');
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 375, `the page scrolls sideways on a phone: ${width}px`);
  for (const tab of await visibleTabs(phone)) {
    const box = await phone.locator(`button.tab[data-tab="${tab}"]`).boundingBox();
    check(box && box.x >= 0 && box.x + box.width <= 375 && box.height >= 24, `the ${tab} tab does not fit the phone: ${JSON.stringify(box)}`);
  }
  await phone.click('.lang-button[data-lang="fr"]');
  check((await text(phone, 'button.tab[data-tab="owed"]')) === 'Reste à fournir', 'the phone is not in French');
  check(/constats sur/.test(await text(phone, '#findings-result .findings-count')), 'the findings count is not in French');
  const RESULT = { owed: '#owed-result', submissions: '#submissions-result', findings: '#findings-result', completeness: '#completeness-result' };
  for (const l of ['fr', 'en']) {
    await phone.click(`.lang-button[data-lang="${l}"]`);
    for (const tab of await visibleTabs(phone)) {
      await openTab(phone, tab, RESULT[tab]);
      const w = await phone.evaluate(() => document.documentElement.scrollWidth);
      check(w <= 375, `the ${tab} tab (${l}) is ${w}px wide on a 375px phone`);
    }
  }
  await openTab(phone, 'findings', '#findings-result');
  await phone.evaluate(() => document.querySelector('#panel-findings').scrollIntoView({ block: 'start' }));
  await shot(phone, 'dashboard-phone.png');
  await phone.context().close();

  check(problems.length === 0, `the pages reported:\n  ${problems.join('\n  ')}`);
}

const timer = setTimeout(() => { console.error('FAIL: the browser test took over 180 s'); process.exit(1); }, 180000);
try {
  await main();
  console.log(`ok: dashboard in chromium: keyboard sign-in, dry run with errors (rows listed), fixed upload submitted, ` +
    `missing-report ${SUBJECT} gone, verified by the secretariat, joint report downloaded` +
    (OTHER ? `, ${OTHER_ORG}'s submission returned and resubmitted` : '') + ', French, phone layout');
} catch (e) {
  console.error('FAIL: ' + (e instanceof Failure ? e.message : (e && e.stack) || e));
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  if (browser) await browser.close().catch(() => {});
}
