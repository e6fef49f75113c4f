import { createClient, type InValue } from '@libsql/client';
import { expect, type Page } from '@playwright/test';
import { axeViolations } from './helpers';

/** Reads the database the server under test writes to. */
export async function query(sql: string, args: unknown[] = []) {
  // Another process (the server) writes to the same file: wait for its lock rather than fail.
  const client = createClient({ url: `file:${process.env.GUICHET_E2E_DB}`, timeout: 5000 });
  try {
    return (await client.execute({ sql, args: args as InValue[] })).rows;
  } finally {
    client.close();
  }
}

export const countRows = async (table: string, where = '1 = 1', args: unknown[] = []) =>
  Number((await query(`select count(*) as n from ${table} where ${where}`, args))[0]!.n);

const PNG_HEADER = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** A file as the browser would send it, with PNG content unless told otherwise. */
export function pngFile(name: string, size = 2048) {
  const buffer = Buffer.alloc(size);
  Buffer.from(PNG_HEADER).copy(buffer);
  return { name, mimeType: 'image/png', buffer };
}

/** axe passes on the current page; `label` says which state it is. */
export async function expectAccessible(page: Page, label: string) {
  expect(await axeViolations(page), label).toEqual([]);
}

/** The error summary and the message next to the field say the same thing. */
export async function expectFieldError(page: Page, fieldId: string, message: string | RegExp) {
  const summary = page.locator('#error-summary');
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('link', { name: message })).toHaveAttribute('href', `#${fieldId}`);
  await expect(page.locator(`#${fieldId}-error`)).toContainText(message);
}

export interface Filing {
  procedure?: string;
  description?: string;
  files?: ReturnType<typeof pngFile>[];
  who?: 'Pour moi' | 'Pour une personne que j’aide';
  name?: string;
  helper?: { name: string; organisation: string };
  channel?: 'Par e-mail' | 'Être rappelé par téléphone';
  email?: string;
  phone?: string;
  /** axe needs JavaScript in the page: journeys without it leave it out (the HTML is the same). */
  axe?: boolean;
}

/** Files a request in French through every step, as a resident would, checking axe on each. */
export async function fileRequest(page: Page, filing: Filing = {}) {
  const check = async (label: string) => {
    if (filing.axe !== false) await expectAccessible(page, label);
  };
  await page.goto('/demande/');
  await check('start page');
  await page.getByRole('link', { name: 'Commencer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Quelle démarche vouliez-vous faire ?');
  await check('step 1');
  await page.getByLabel('Nom de la démarche ou du service').fill(filing.procedure ?? 'Payer la cantine');
  await page.getByLabel('Le paiement ne fonctionne pas').check();
  await page.getByRole('button', { name: 'Continuer' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Décrivez ce qui vous bloque');
  await check('step 2');
  await page.getByLabel('Ce qui se passe').fill(filing.description ?? 'Ma carte bancaire est refusée au moment de payer la cantine.');
  await page.getByRole('button', { name: 'Continuer' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ajouter des captures d’écran ou des documents');
  await check('step 3');
  if (filing.files?.length) {
    await page.getByLabel('Choisir des fichiers').setInputFiles(filing.files);
    await page.getByRole('button', { name: 'Ajouter ces fichiers' }).click();
    await expect(page.getByRole('status')).toHaveText('Fichiers ajoutés.');
    for (const file of filing.files) await expect(page.locator('.g-file-list')).toContainText(file.name);
    await check('step 3 with files');
  }
  await page.getByRole('button', { name: 'Continuer' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toContainText('Pour qui faites-vous cette demande ?');
  await check('step 4');
  await page.getByLabel(filing.who ?? 'Pour moi').check();
  await page.getByRole('button', { name: 'Continuer' }).click();

  await check('step 5');
  if (filing.helper) {
    await page.getByLabel('Votre nom et prénom').fill(filing.helper.name);
    await page.getByLabel('Votre structure').fill(filing.helper.organisation);
    await page.getByLabel('Nom et prénom de la personne aidée').fill(filing.name ?? 'Odette Marchand');
    await page.getByRole('checkbox', { name: 'La personne est d’accord pour que je fasse cette demande pour elle' }).check();
  } else {
    await page.getByLabel('Votre nom et prénom').fill(filing.name ?? 'Martine Lefèvre');
  }
  await page.getByRole('button', { name: 'Continuer' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toContainText('Comment voulez-vous recevoir la réponse ?');
  await check('step 6');
  await page.getByLabel(filing.channel ?? 'Par e-mail').check();
  if (filing.email !== undefined || (filing.channel ?? 'Par e-mail') === 'Par e-mail') await page.getByLabel('Adresse e-mail').fill(filing.email ?? 'martine@example.org');
  if (filing.channel === 'Être rappelé par téléphone') {
    await page.getByLabel('Numéro de téléphone').fill(filing.phone ?? '06 12 34 56 78');
    await page.getByLabel('En semaine, le matin').check();
  }
  await page.getByRole('button', { name: 'Continuer' }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vérifiez votre demande avant de l’envoyer');
  await check('check your answers');
}

/** Consents and sends from the check page; returns the reference and the private link. */
export async function sendRequest(page: Page, axe = true) {
  // Every test files from 127.0.0.1: the limit of requests sent per address and hour (20) would
  // count the whole suite's filings as one resident's. The limit is tested on its own
  // (tests/integration/rate-limit.test.ts).
  await query("delete from rate_limit_hits where bucket like 'request-submit:%'");
  await page.getByRole('checkbox', { name: 'J’accepte que ces informations soient utilisées pour traiter la demande' }).check();
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demande envoyée');
  if (axe) await expectAccessible(page, 'confirmation');
  const reference = (await page.locator('.g-reference').textContent())!.trim();
  expect(reference).toMatch(/^\d{3}-\d{3}-\d{3}$/);
  const link = (await page.locator('.g-private-link a').getAttribute('href'))!;
  expect(link).toMatch(/\/suivi\/[a-z2-7]{52}\/$/);
  return { reference, digits: reference.replaceAll('-', ''), link: new URL(link).pathname };
}
