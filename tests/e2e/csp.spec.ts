// The Content-Security-Policy (Astro's security.csp, sent as an HTTP header) allows everything
// the portal itself does — its scripts, styles, search — and nothing else: no page, in either
// language, signed in or not, with JavaScript running, meets a single violation.
import { expect, type Page, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_PASSWORD, signIn } from './agent-helpers';
import { sitemapPaths } from './helpers';
import { fileRequest, query } from './request-helpers';

/** Records every CSP violation the page reports, from the page and from Chromium's console. */
function watchViolations(page: Page) {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  return violations;
}

test('the policy is sent as a header on pages, prerendered or not, and forbids framing', async ({ request }) => {
  for (const path of ['/', '/faq/', '/en/', '/demande/', '/suivi/', '/agent/connexion/']) {
    const policy = (await request.get(path)).headers()['content-security-policy'] ?? '';
    expect(policy, path).toContain("default-src 'self'");
    expect(policy, path).toMatch(/script-src 'self' 'wasm-unsafe-eval'( 'sha256-[^']+')+;/);
    expect(policy, path).toContain("frame-ancestors 'none'");
    expect(policy, path).not.toContain('unsafe-inline');
  }
});

test('no page of the help centre meets a violation, and search works under the policy', async ({ page }) => {
  test.setTimeout(120_000);
  const violations = watchViolations(page);
  const paths = await sitemapPaths(page);
  expect(paths.length).toBeGreaterThan(20);
  for (const path of paths) await page.goto(path, { waitUntil: 'load' });
  await page.goto('/recherche/');
  await page.getByLabel('Rechercher dans l’aide').fill('buraliste');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.locator('#search-results a').first()).toBeVisible();
  // Typing searches as the keys come (the worker and its WebAssembly run under the policy).
  await page.getByLabel('Rechercher dans l’aide').fill('');
  await page.getByLabel('Rechercher dans l’aide').pressSequentially('cantine', { delay: 50 });
  await expect(page.locator('#search-results a').first()).toBeVisible();
  expect(violations).toEqual([]);
});

test('filing a request and the agents’ workspace meet no violation', async ({ page }) => {
  test.setTimeout(120_000);
  const violations = watchViolations(page);
  // The error summary's script (focus) runs on a refused step.
  await page.goto('/demande/');
  await page.getByRole('link', { name: 'Commencer' }).click();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.locator('#error-summary')).toBeFocused();
  await fileRequest(page, { axe: false });

  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
  const [row] = await query('select reference from requests order by id limit 1');
  for (const path of ['/agent/', `/agent/demandes/${row!.reference}/`, '/agent/rapports/', '/agent/rapports/synthese/', '/agent/admin/', '/agent/admin/reglages/', '/agent/admin/reponses/', '/agent/admin/journal/', '/agent/enquetes/']) {
    await page.goto(path, { waitUntil: 'load' });
  }
  expect(violations).toEqual([]);
});
