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

// Only the islands (the forms, the delete dialog) are hydrated: a page without one loads
// neither the script nor the WASM, a page with one loads both, and its form then acts without
// a reload.
test('pages load the WASM only when they have an island to hydrate', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'js-on', 'scripts only run with JavaScript on');
  const bundle: string[] = [];
  page.on('request', (r) => {
    if (/\/pkg\/[^/]+\.(wasm|js)$/.test(r.url())) bundle.push(r.url());
  });
  await page.goto('/');
  await ready(page, testInfo);
  await page.goto('/about');
  await ready(page, testInfo);
  expect(bundle, 'home and about have no island').toEqual([]);
  await expect(page.locator('leptos-island')).toHaveCount(0);

  await page.goto('/login');
  await ready(page, testInfo);
  await expect(page.locator('leptos-island')).toHaveCount(1);
  expect(bundle.some((u) => u.endsWith('.wasm'))).toBe(true);
  expect(bundle.some((u) => u.endsWith('.js'))).toBe(true);
  // The island is live: a refused login is shown on the same page, without a navigation.
  let navigated = false;
  page.on('framenavigated', () => { navigated = true; });
  await page.fill('input[name=email]', 'nobody@example.com');
  await page.fill('input[name=password]', 'wrong password');
  await page.click('button:has-text("Login")');
  await expect(page.locator('.form-error')).toContainText('Login unsuccessful');
  expect(navigated).toBe(false);
});

// Each page names itself for search engines and link previews, and has one heading.
test('pages have a description and one heading', async ({ page }) => {
  for (const [path, heading] of [['/', 'Latest posts'], ['/login', 'Log In'], ['/register', 'Join Today'],
    ['/reset_password', 'Reset Password'], ['/about', 'About Quill']]) {
    await page.goto(path);
    await expect(page.locator('h1'), path).toHaveCount(1);
    await expect(page.locator('h1'), path).toHaveText(heading);
    const description = await page.locator('meta[name=description]').getAttribute('content');
    expect(description?.length, path).toBeGreaterThan(20);
  }
});
