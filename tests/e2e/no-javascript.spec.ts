import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';

test.use({ javaScriptEnabled: false });

/** The answers given on `article` since this run's tests started (the demo data has older ones). */
const started = Date.now();
async function storedFeedback(article: string) {
  const client = createClient({ url: `file:${process.env.GUICHET_E2E_DB}` });
  try {
    const result = await client.execute({ sql: 'select helpful, comment from article_feedback where article_id = ? and created_at >= ? order by id', args: [article, started] });
    return result.rows.map((row) => ({ helpful: Number(row.helpful), comment: row.comment }));
  } finally {
    client.close();
  }
}

test('home → topic → entry → feedback with a comment, without JavaScript', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Payer en ligne' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Payer en ligne');
  await page.getByRole('link', { name: 'Ma carte bancaire est refusée, que faire ?' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ma carte bancaire est refusée, que faire ?');

  await page.getByRole('button', { name: 'Non' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Merci pour votre réponse');
  expect(await storedFeedback('fr/carte-refusee')).toEqual([{ helpful: 0, comment: null }]);

  // An empty comment: the message stands next to the field and in the summary, nothing is stored.
  await page.getByRole('button', { name: 'Envoyer le commentaire' }).click();
  const message = 'Écrivez votre commentaire, ou revenez à la page sans l’envoyer';
  await expect(page.getByRole('alert')).toContainText('Il y a un problème');
  await expect(page.getByRole('alert').getByRole('link', { name: message })).toHaveAttribute('href', '#feedback-comment');
  await expect(page.locator('#feedback-comment-error')).toContainText(message);

  // Too long: refused, and what was typed is still there.
  const tooLong = 'Trop long. '.repeat(100);
  await page.getByLabel('Qu’est-ce qui manquait').fill(tooLong);
  await page.getByRole('button', { name: 'Envoyer le commentaire' }).click();
  await expect(page.locator('#feedback-comment-error')).toContainText('1 000 caractères au maximum (il en fait 1099)');
  await expect(page.getByLabel('Qu’est-ce qui manquait')).toHaveValue(tooLong);
  expect(await storedFeedback('fr/carte-refusee')).toEqual([{ helpful: 0, comment: null }]);

  await page.getByLabel('Qu’est-ce qui manquait').fill('Le cas des cartes prépayées manque.');
  await page.getByRole('button', { name: 'Envoyer le commentaire' }).click();
  await expect(page.getByRole('status')).toHaveText('Merci, votre commentaire a été envoyé.');
  expect(await storedFeedback('fr/carte-refusee')).toEqual([{ helpful: 0, comment: 'Le cas des cartes prépayées manque.' }]);
  await page.getByRole('link', { name: /Revenir à la page/ }).click();
  await expect(page).toHaveURL(/\/faq\/carte-refusee\/$/);
});

test('English feedback is answered in English', async ({ page }) => {
  await page.goto('/en/faq/card-refused/');
  await page.getByRole('button', { name: 'Yes' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thank you for your answer');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  expect(await storedFeedback('en/card-refused')).toEqual([{ helpful: 1, comment: null }]);
});

test('a forged feedback post gets a clear page, not an error, and stores nothing', async ({ page }) => {
  const response = await page.request.post('/avis/?_action=feedback.answer', {
    form: { collection: 'faq', article: 'fr/../../etc/passwd', helpful: 'peut-être' },
    headers: { origin: 'http://127.0.0.1:4322' },
  });
  expect(response.status()).toBe(400);
  const html = await response.text();
  expect(html).toContain('Choisissez «\u00a0Oui\u00a0» ou «\u00a0Non\u00a0»');
  expect(html).not.toMatch(/at .*\.js:\d+/);
  expect(await storedFeedback('fr/../../etc/passwd')).toEqual([]);
});

test('home → tutorial → easy-to-read version, without JavaScript', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Créer son compte sur l’espace citoyen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Créer son compte sur l’espace citoyen');
  await expect(page.locator('.g-steps > li')).toHaveCount(5);
  await page.getByRole('link', { name: 'Lire la version facile à lire' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('facile à lire');
  await expect(page.locator('.g-steps img')).toHaveCount(5);
});

test('display settings survive a reload and apply to prerendered pages, without JavaScript', async ({ page }) => {
  await page.goto('/faq/');
  await page.getByRole('link', { name: 'Paramètres d’affichage' }).first().click();
  await page.getByLabel('Très grande').check();
  await page.getByLabel('Sombres').check();
  await page.getByLabel('Plus d’espace entre les lignes').check();
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status')).toContainText('Vos paramètres d’affichage sont enregistrés.');
  await page.getByRole('link', { name: 'Revenir à la page précédente' }).click();
  await expect(page).toHaveURL(/\/faq\/$/);
  await page.reload();
  const style = await page.evaluate(() => ({
    fontSize: getComputedStyle(document.documentElement).fontSize,
    background: getComputedStyle(document.body).backgroundColor,
    letterSpacing: getComputedStyle(document.body).letterSpacing,
  }));
  expect(style).toEqual({ fontSize: '24px', background: 'rgb(18, 20, 23)', letterSpacing: '3.06px' }); // 0.12em of 25.5px body text

  await page.goto('/parametres-affichage/');
  await expect(page.getByLabel('Très grande')).toBeChecked();
  await page.getByRole('button', { name: 'Revenir aux réglages par défaut' }).click();
  await page.goto('/faq/');
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('16px');
});

test('an unknown display setting is refused next to the field and in the summary', async ({ page }) => {
  const response = await page.request.post('/parametres-affichage/?_action=settings', {
    form: { textSize: '400', theme: 'dark', spacing: 'normal', motion: 'auto' },
    headers: { origin: 'http://127.0.0.1:4322' },
  });
  expect(response.status()).toBe(400);
  const html = await response.text();
  expect(html).toContain('Il y a un problème');
  expect(html).toContain('href="#textSize-100"');
  expect(html.match(/Ce choix n’existe pas/g)?.length).toBe(2);
});

test('a missing page answers 404 with a way forward', async ({ page }) => {
  const response = await page.goto('/faq/cette-page-n-existe-pas/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page introuvable');
  await expect(page.getByRole('link', { name: 'Questions fréquentes' }).first()).toBeVisible();
});

test('a tutorial prints without the site’s navigation or the feedback form', async ({ page }) => {
  await page.goto('/tutoriels/payer-une-facture-en-ligne/');
  await page.emulateMedia({ media: 'print' });
  for (const selector of ['header', 'nav[aria-label="Fil d’Ariane"]', 'footer', 'form']) {
    await expect(page.locator(selector).first()).toBeHidden();
  }
  await expect(page.locator('.g-steps > li')).toHaveCount(5);
  await expect(page.locator('.g-steps > li').first()).toBeVisible();
});

test('robots.txt points to the sitemap, which lists both languages', async ({ page }) => {
  const robots = await (await page.request.get('/robots.txt')).text();
  expect(robots).toContain('Sitemap: ');
  const sitemap = await (await page.request.get('/sitemap.xml')).text();
  expect(sitemap).toContain('/faq/carte-refusee/</loc>');
  expect(sitemap).toContain('/en/faq/card-refused/</loc>');
  expect(sitemap).toContain('/tutoriels/creer-son-compte/facile/</loc>');
});
