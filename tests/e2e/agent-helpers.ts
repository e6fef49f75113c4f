import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';

export const DEMO_ADMIN = 'admin.demo@example.org';
export const DEMO_AGENT = 'sophie.demo@example.org';
export const DEMO_PASSWORD = 'demo-guichet-2026';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Mails the SMTP server received for `to` (and matching `match`), waiting for one to arrive. */
export async function mailsTo(to: string, match: (mail: ReceivedMail) => boolean = () => true, timeoutMs = 45_000): Promise<ReceivedMail[]> {
  const dir = process.env.GUICHET_E2E_MAIL!;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readdirSync(dir)
      .sort()
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as ReceivedMail)
      .filter((mail) => mail.to.includes(to) && match(mail));
    if (found.length > 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/agent/connexion/');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: false }).first().fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page.getByRole('status')).toHaveText('Vous êtes déconnecté.');
}

/** Chooses a password through a one-time link (invitation or reset). */
export async function choosePassword(page: Page, link: string, password: string) {
  await page.goto(new URL(link).pathname);
  await page.getByLabel('Nouveau mot de passe').fill(password);
  await page.getByLabel('Le même mot de passe, encore une fois').fill(password);
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page.getByRole('status')).toHaveText('Votre mot de passe est enregistré. Connectez-vous avec lui.');
}

/** An administrator invites an agent; returns the one-time link shown on screen. */
export async function inviteAgent(page: Page, name: string, email: string, role: 'Agent' | 'Administrateur' = 'Agent') {
  await page.goto('/agent/admin/');
  await page.getByRole('textbox', { name: /^Nom/ }).fill(name);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('radio', { name: role, exact: true }).check();
  await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
  await expect(page.getByRole('status')).toContainText('Invitation envoyée');
  const link = (await page.locator('.g-success code').textContent())!.trim();
  expect(link).toMatch(/\/agent\/mot-de-passe\/[a-z2-7]{52}\/$/);
  return link;
}
