// Announcements to residents, on a server of its own (two workers: a change made on one must
// reach the home page the other has cached): an administrator publishes one, it shows on the
// home page and the announcements page and in the Atom feed; one to come does not show yet; one
// moved into the past leaves the home page and is listed as past. Without JavaScript, except for
// axe and for reading the feed with the browser's XML parser; the feed is validated against
// RFC 4287's RELAX NG schema.
import { readFileSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { validateXML } from 'xmllint-wasm';
import { DEMO_ADMIN, DEMO_PASSWORD, signIn } from './agent-helpers';
import { pdfQrCode, pdfText } from './pdf';
import { expectAccessible, expectFieldError } from './request-helpers';
import { removeDatabase, type ServerProcess, startServerProcess } from './server-process';

/** RFC 4287's RELAX NG schema (XML syntax). */
const ATOM_SCHEMA = readFileSync('tests/fixtures/atom.rng', 'utf8');

// One server for the tests of this file, which run in turn (each worker would start its own on the same file).
test.describe.configure({ mode: 'serial' });

let server: ServerProcess;
const dbFile = () => `${process.env.GUICHET_E2E_DB}.announcements.db`;
test.beforeAll(async () => {
  removeDatabase(dbFile());
  server = await startServerProcess(dbFile(), { GUICHET_DEMO: '1', GUICHET_WORKERS: '2' });
});
test.afterAll(async () => {
  server.signal('SIGTERM');
  await server.exited;
  removeDatabase(dbFile());
});

/** Days around today in Paris, wide enough that midnight passing during the test changes nothing. */
const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + offset * 86_400_000));
const context = (browser: Browser, javaScriptEnabled = false) => browser.newContext({ baseURL: server.origin, javaScriptEnabled });

async function publish(page: Page, fields: { title: string; body: string; starts: string; ends?: string }) {
  await page.getByLabel('Titre').fill(fields.title);
  await page.getByLabel('Texte').fill(fields.body);
  await page.getByLabel('Affichée à partir du').fill(fields.starts);
  await page.getByLabel('Jusqu’au (inclus)').fill(fields.ends ?? '');
  await page.getByRole('button', { name: /Publier l’annonce|Enregistrer les changements/ }).click();
  await expect(page.getByRole('status')).toHaveText('Annonce enregistrée.');
}

test('an announcement shows on the home page and in the feed between its dates, and leaves when they are over', async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await context(browser);
  const page = await admin.newPage();
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.getByRole('navigation', { name: 'Menu de l’espace agents' }).getByRole('link', { name: 'Annonces' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Annonces aux habitants');

  // Refused: each mistake next to its field, what was typed kept.
  await page.getByLabel('Texte').fill('Sans titre.');
  await page.getByLabel('Affichée à partir du').fill(day(5));
  await page.getByLabel('Jusqu’au (inclus)').fill(day(1));
  await page.getByRole('button', { name: 'Publier l’annonce' }).click();
  await expectFieldError(page, 'f-title', 'Écrivez le titre de l’annonce');
  await expectFieldError(page, 'f-ends', 'Le dernier jour doit venir après le premier');
  await expect(page.getByLabel('Texte')).toHaveValue('Sans titre.');

  await publish(page, { title: 'La cantine se réserve en ligne', body: 'Depuis ce mois-ci, réservez les repas sur l’espace famille.\nBesoin d’aide ? Appelez le 03 80 00 12 34.', starts: day(-2), ends: day(2) });
  await page.goto('/agent/annonces/');
  await publish(page, { title: 'Les inscriptions scolaires ouvrent bientôt', body: 'À partir de la semaine prochaine.', starts: day(3) });
  await expect(page.locator('.a-table tbody tr')).toHaveText([/Les inscriptions scolaires.*À venir/, /La cantine se réserve en ligne.*Affichée/]);

  const visitor = await context(browser);
  const home = await visitor.newPage();
  // Another worker may have the home page cached: it drops it within a quarter of a second.
  await expect(async () => {
    await home.goto('/');
    await expect(home.getByRole('region', { name: 'Annonces' })).toContainText('La cantine se réserve en ligne');
  }).toPass({ timeout: 15_000 });
  await expect(home.getByRole('region', { name: 'Annonces' })).not.toContainText('inscriptions scolaires');
  await home.getByRole('link', { name: 'Toutes les annonces' }).click();
  await expect(home.getByRole('heading', { level: 1 })).toHaveText('Annonces');
  await expect(home.locator('main')).toContainText('Besoin d’aide ? Appelez le 03 80 00 12 34.');

  // The feed: Atom, read by the browser's XML parser.
  const reader = await context(browser, true);
  const feedPage = await reader.newPage();
  const response = await feedPage.request.get('/annonces/flux.xml');
  expect(response.headers()['content-type']).toContain('application/atom+xml');
  const xml = await response.text();
  await feedPage.goto('/annonces/');
  const feed = await feedPage.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const ATOM = 'http://www.w3.org/2005/Atom';
    const root = doc.documentElement;
    const child = (el: Element, name: string) => [...el.children].filter((c) => c.namespaceURI === ATOM && c.localName === name);
    return {
      parseError: doc.getElementsByTagName('parsererror').length,
      root: `${root.namespaceURI} ${root.localName}`,
      required: ['id', 'title', 'updated', 'author'].map((n) => child(root, n).length),
      self: child(root, 'link').map((l) => `${l.getAttribute('rel') ?? 'alternate'} ${l.getAttribute('href')}`),
      entries: child(root, 'entry').map((e) => ({ title: child(e, 'title')[0]?.textContent, required: ['id', 'title', 'updated'].map((n) => child(e, n).length), link: child(e, 'link')[0]?.getAttribute('href') })),
    };
  }, xml);
  expect(feed.parseError).toBe(0);
  expect(feed.root).toBe('http://www.w3.org/2005/Atom feed');
  // Valid Atom: RFC 4287's RELAX NG schema, checked by libxml2 (xmllint, as WebAssembly), on both languages' feeds.
  for (const [path, text] of [['/annonces/flux.xml', xml], ['/en/announcements/feed.xml', await (await feedPage.request.get('/en/announcements/feed.xml')).text()]] as [string, string][]) {
    const checked = await validateXML({ xml: [{ fileName: 'feed.xml', contents: text }], schema: [{ fileName: 'atom.rng', contents: ATOM_SCHEMA }], extension: 'relaxng' });
    expect(checked.errors.map((e) => e.message), path).toEqual([]);
    expect(checked.valid, path).toBe(true);
  }
  expect(feed.required).toEqual([1, 1, 1, 1]);
  expect(feed.self).toContain(`self ${server.origin}/annonces/flux.xml`);
  expect(feed.entries.map((e) => e.title)).toEqual(['La cantine se réserve en ligne']);
  expect(feed.entries[0]!.required).toEqual([1, 1, 1]);
  expect(feed.entries[0]!.link).toMatch(new RegExp(`^${server.origin}/annonces/#annonce-\\d+$`));
  await expectAccessible(feedPage, 'announcements page');

  // The poster (A4) and the flyer (A5) for places without internet: one page each, the help
  // centre's address written short, and a QR code that decodes to it.
  await page.goto('/agent/annonces/');
  await page.getByRole('link', { name: 'Affiche : La cantine se réserve en ligne' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('La cantine se réserve en ligne');
  const short = server.origin.replace(/^https?:\/\//, '');
  for (const format of ['a4', 'flyer']) {
    if (format === 'flyer') await page.getByRole('link', { name: 'Tract A5' }).click();
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const { pages, text } = await pdfText(pdf);
    expect(pages, format).toBe(1);
    expect(text, format).toContain('La cantine se réserve en ligne');
    expect(text, format).toContain(short);
    expect(text, format).toContain('03 80 00 12 34');
    expect(await pdfQrCode(pdf), format).toBe(`${server.origin}/`);
  }

  // Moved into the past: off the home page, listed as past.
  await page.goto('/agent/annonces/');
  await page.getByRole('link', { name: 'Changer : La cantine se réserve en ligne' }).click();
  await expect(page.getByRole('heading', { name: 'Changer l’annonce' })).toBeVisible();
  await publish(page, { title: 'La cantine se réserve en ligne', body: 'Depuis ce mois-ci, réservez les repas sur l’espace famille.', starts: day(-10), ends: day(-3) });
  await expect(async () => {
    await home.goto('/');
    await expect(home.getByRole('region', { name: 'Annonces' })).toHaveCount(0);
  }).toPass({ timeout: 15_000 });
  await home.goto('/annonces/');
  await expect(home.getByRole('heading', { name: 'Annonces passées' })).toBeVisible();
  await expect(home.locator('main')).toContainText('Aucune annonce en ce moment.');

  // Removed: gone from the list; every change is in the audit log.
  await page.goto('/agent/annonces/');
  await page.getByRole('button', { name: 'Retirer : Les inscriptions scolaires ouvrent bientôt' }).click();
  await expect(page.getByRole('status')).toHaveText('Annonce retirée.');
  await page.goto('/agent/admin/journal/');
  await expect(page.locator('.a-table tbody')).toContainText('Annonce publiée, changée ou retirée');
  // The longest announcement the form takes still prints on one page, in both formats.
  await page.goto('/agent/annonces/');
  const sentence = 'Réservez les repas de vos enfants sur l’espace famille, jusqu’au jeudi midi pour la semaine suivante. ';
  await publish(page, { title: 'Une annonce aussi longue que le formulaire le permet '.repeat(3).slice(0, 150).trim(), body: `${sentence.repeat(5)}\n`.repeat(4).slice(0, 2000).trim(), starts: day(-1) });
  await page.getByRole('link', { name: /^Affiche : Une annonce aussi longue/ }).click();
  const poster = page.url().replace(/\?.*$/, '');
  for (const format of ['a4', 'flyer']) {
    await page.goto(`${poster}?format=${format}`);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect((await pdfText(pdf)).pages, `longest, ${format}`).toBe(1);
    expect(await pdfQrCode(pdf), `longest, ${format}`).toBe(`${server.origin}/`);
  }

  const withScript = await context(browser, true);
  const adminJs = await withScript.newPage();
  await signIn(adminJs, DEMO_ADMIN, DEMO_PASSWORD);
  await adminJs.goto('/agent/annonces/');
  await expectAccessible(adminJs, 'announcements admin page');
  await adminJs.getByRole('link', { name: /^Affiche : / }).first().click();
  await expectAccessible(adminJs, 'poster');
  await adminJs.goto('/agent/annonces/');
  await adminJs.getByRole('button', { name: 'Publier l’annonce' }).click();
  await expect(adminJs.locator('#error-summary')).toBeVisible();
  await expectAccessible(adminJs, 'announcements admin page, refused');
  await Promise.all([admin.close(), visitor.close(), reader.close(), withScript.close()]);
});

test('a procedure’s poster and flyer, from its tutorial: its steps, one page each, a QR code leading to the tutorial', async ({ browser }) => {
  const admin = await context(browser, true);
  const page = await admin.newPage();
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.goto('/agent/aide/affiche/fr/inscrire-son-enfant-a-la-cantine/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inscrire son enfant à la cantine');
  await expectAccessible(page, 'tutorial poster');
  for (const format of ['a4', 'flyer']) {
    if (format === 'flyer') await page.getByRole('link', { name: 'Tract A5' }).click();
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const { pages, text } = await pdfText(pdf);
    expect(pages, format).toBe(1);
    for (const words of ['Inscrire son enfant à la cantine', 'Ajouter votre enfant', 'Valider', '03 80 00 12 34']) expect(text, format).toContain(words);
    expect(await pdfQrCode(pdf), format).toBe(`${server.origin}/tutoriels/inscrire-son-enfant-a-la-cantine/`);
  }
  // Where it will hang: that place and the others of its town first (the places have no coordinates).
  await page.getByLabel('Affichée à').selectOption({ label: 'Médiathèque de Saint-Aubin-la-Forêt (Saint-Aubin-la-Forêt)' });
  await page.getByRole('button', { name: 'Ses lieux d’aide d’abord' }).click();
  await expect(page).toHaveURL(/format=flyer&lieu=mediatheque-saint-aubin$/);
  await page.getByRole('link', { name: 'Affiche A4' }).click();
  await expect(page.locator('.p-poster__places li')).toHaveText([/^Médiathèque de Saint-Aubin-la-Forêt/, /^France Services itinérant/]);
  const near = await pdfText(await page.pdf({ preferCSSPageSize: true }));
  expect(near.pages).toBe(1);
  await expectAccessible(page, 'tutorial poster, its place chosen');
  // Internal help is never posted on a wall.
  expect((await page.goto('/agent/aide/affiche/fr/agents-instruire-une-inscription-a-la-cantine/'))!.status()).toBe(404);
});
