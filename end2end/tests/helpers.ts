import { test as base, expect, Page } from '@playwright/test';

// Every test fails on a script error in the page, such as a hydration mismatch or a panic in
// the WASM. Refused requests (a 422 from a server function) are expected answers, not errors.
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    await use(errors);
    expect(errors, 'errors in the browser console').toEqual([]);
  }, { auto: true }],
});
export { expect };

export function unique(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.slice(0, 20);
}

// With JavaScript on, wait until the WASM has hydrated the page before using its forms.
export async function ready(page: Page, testInfo: { project: { name: string } }) {
  if (testInfo.project.name === 'js-on') {
    await page.waitForFunction(() => (window as any).__quill_hydrated === true);
  }
}

// A new account, signed in, through the same server functions the forms post to.
export async function signUp(page: Page, name = unique('w')): Promise<string> {
  const email = `${name}@example.com`;
  const form = { username: name, email, password: 'password123', confirm_password: 'password123' };
  const registered = await page.request.post('/_fn/register', { form, headers: { Accept: 'application/json' } });
  expect(registered.status()).toBe(200);
  const login = await page.request.post('/_fn/login', {
    form: { email, password: 'password123' }, headers: { Accept: 'application/json' },
  });
  expect(login.status()).toBe(200);
  return name;
}
