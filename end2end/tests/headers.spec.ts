import { test, expect, ready } from './helpers';

// The release build's Content Security Policy: inline scripts only with the page's nonce, no
// connections but to the site itself. A script the policy blocked would show as a console
// error, which fails every test (helpers.ts).
test('pages carry a nonce-based policy and still hydrate under it', async ({ page }, testInfo) => {
  const response = await page.goto('/');
  const csp = response!.headers()['content-security-policy'];
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'))!;
  expect(scriptSrc).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+' 'wasm-unsafe-eval'$/);
  expect(csp).toContain("connect-src 'self';");
  await ready(page, testInfo);
  await expect(page).toHaveTitle('Quill - Home');
});
