// Takes the reviewer console screenshots shown in the README (docs/console-*.png) from a running gateway.
//
//   bin/gateway &                                   # the gateway on its embedded defaults
//   npm --prefix docs/screenshots install           # playwright-core only; it drives the machine's Chromium
//   node docs/screenshots/take-screenshots.mjs
//
// It queues a few realistic engagements on the bundled sandbox platforms (agent token), signs in to the console
// (reviewer token), and photographs it on a desktop and a phone screen, with one reply opened in the editor.
// GATEWAY_URL, AGENT_TOKEN, REVIEWER_TOKEN and CHROMIUM override the development defaults.
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const agentToken = process.env.AGENT_TOKEN ?? 'dev-agent-token';
const reviewerToken = process.env.REVIEWER_TOKEN ?? 'dev-reviewer-token';
const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = Date.now().toString(36);

const requests = [
  { action: 'follow', platform: 'threads', target: 'user_collaborator', persona_constraints: ['strategic'] },
  { action: 'follow', platform: 'twitter', target: 'user_fashion_influencer', persona_constraints: ['strategic'] },
  { action: 'reply', platform: 'twitter', target: 'tweet_12345', confidence: 0.8,
    content: 'Thanks for asking! CSV export is on our list.', persona_constraints: ['friendly', 'helpful'] },
  { action: 'reply', platform: 'twitter', target: 'tweet_55555', confidence: 0.9,
    content: 'We are so sorry about the wait. A teammate is on your ticket now and will sort out the refund today.',
    persona_constraints: ['empathetic'] },
  { action: 'comment', platform: 'instagram', target: 'comment_54321', confidence: 0.85,
    content: 'That should not happen. Send us a DM with your order number and we will replace it.',
    persona_constraints: ['helpful'] },
  { action: 'reply', platform: 'threads', target: 'thread_24680', confidence: 0.9,
    content: 'Sorry about the rough update. We shipped a fix an hour ago; tell us if it is still broken.',
    persona_constraints: ['empathetic', 'concise'] },
  { action: 'like', platform: 'tiktok', target: 'video_24680' },
];

async function submit(request, i) {
  const response = await fetch(gateway + '/engagements', {
    method: 'POST',
    headers: { Authorization: 'Bearer ' + agentToken, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...request, request_id: `screenshot-${run}-${i}` }),
  });
  const body = await response.json();
  console.log(`${request.action} on ${request.platform} -> ${response.status} ${body.status}`);
}

for (const [i, request] of requests.entries()) {
  await submit(request, i);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
try {
  async function signedIn(viewport, options = {}) {
    const page = await browser.newPage({ viewport, ...options });
    await page.goto(gateway + '/console?refresh=0');
    await page.fill('#token', reviewerToken);
    await page.fill('#reviewer-name', 'maria');
    await page.click('#sign-in-button');
    await page.waitForSelector('#pending-list li.card');
    await page.evaluate(() => window.scrollTo(0, 0));
    return page;
  }

  const desktop = await signedIn({ width: 1280, height: 1000 });
  await desktop.screenshot({ path: path.join(out, 'console-desktop.png') });

  // The reply to Ana opened in the editor: the live count (X's weighted count) and the word diff.
  const card = desktop.locator('#pending-list li.card', { hasText: 'Thanks for asking!' }).first();
  await card.getByRole('button', { name: 'Edit text' }).click();
  await card.locator('textarea.edit').fill('Thanks Ana! CSV export ships next month 🚀 https://example.com/roadmap');
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join(out, 'console-edit.png') });

  const phone = await signedIn({ width: 390, height: 844 }, { deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await phone.screenshot({ path: path.join(out, 'console-phone.png') });
  console.log('Wrote console-desktop.png, console-edit.png and console-phone.png to ' + out);
} finally {
  await browser.close();
}
