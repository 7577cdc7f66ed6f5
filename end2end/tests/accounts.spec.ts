import { test, expect, ready, signUp, unique } from './helpers';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

const mailDir = process.env.QUILL_E2E_MAIL_DIR ?? '';

// Mail is sent off the request path: wait (up to 10 s) for the message to be written.
async function latestResetLink(email: string): Promise<string> {
  let link = '';
  await expect.poll(() => (link = findResetLink(email)), { timeout: 10_000 }).not.toBe('');
  return link;
}

function findResetLink(email: string): string {
  if (!fs.existsSync(mailDir)) return '';
  const files = fs.readdirSync(mailDir).filter((f) => f.endsWith('.eml'))
    .map((f) => path.join(mailDir, f))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
  for (const file of files.reverse()) {
    const text = fs.readFileSync(file, 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    if (!text.toLowerCase().includes(email.toLowerCase())) continue;
    const match = text.match(/https?:\/\/\S+\/reset_password\/\S+/);
    if (match) return match[0];
  }
  return '';
}

// A small real PNG (1x1 red pixel) made on the fly.
function pngFile(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0); ihdr.writeUInt32BE(2, 4); ihdr[8] = 8; ihdr[9] = 2;
  const raw = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 0, 0, 255, 0, 0, 255, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('register, log in, update the account, log out, reset the password, log in again', async ({ page }, testInfo) => {
  const name = unique('u');
  const email = `${name}@example.com`;

  await page.goto('/register');
  await ready(page, testInfo);
  await expect(page).toHaveTitle('Quill - Register');
  await page.fill('input[name=username]', name);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'password123');
  await page.fill('input[name=confirm_password]', 'password123');
  await page.click('button:has-text("Sign Up")');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('.alert-success')).toHaveText('Your account has been created! You are now able to log in');

  await ready(page, testInfo);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'password123');
  await page.click('button:has-text("Login")');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('header nav')).toContainText('Logout');
  await expect(page.locator('header nav')).toContainText(name);

  await page.click(`header nav a:has-text("${name}")`);
  await expect(page).toHaveURL(/\/account$/);
  await ready(page, testInfo);
  const renamed = `${name}x`.slice(0, 20);
  await page.fill('input[name=username]', renamed);
  await page.setInputFiles('input[name=picture]', { name: 'me.png', mimeType: 'image/png', buffer: pngFile() });
  await page.click('button:has-text("Update")');
  await expect(page.locator('.alert-success')).toHaveText('Your account has been updated!');
  await expect(page.locator('.account-name')).toHaveText(renamed);
  const avatar = page.locator('img.avatar-lg');
  await expect(avatar).toHaveAttribute('src', /\/media\/avatars\/\d+-[0-9a-f]+\.png$/);
  expect(await avatar.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(125);

  await page.click('header nav button:has-text("Logout")');
  await expect(page.locator('.alert-info')).toHaveText('You have been logged out.');
  await expect(page.locator('header nav')).toContainText('Login');

  await page.goto('/reset_password');
  await ready(page, testInfo);
  await page.fill('input[name=email]', email);
  await page.click('button:has-text("Request Password Reset")');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('.alert-info')).toContainText('we have sent it a link');

  await page.goto(await latestResetLink(email));
  await ready(page, testInfo);
  await page.fill('input[name=password]', 'brandnew123');
  await page.fill('input[name=confirm_password]', 'brandnew123');
  await page.click('button:has-text("Reset Password")');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator('.alert-success')).toContainText('Your password has been updated!');

  await ready(page, testInfo);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', 'password123');
  await page.click('button:has-text("Login")');
  await expect(page.locator('.form-error')).toHaveText('Login unsuccessful. Please check your e-mail and password.');
  await expect(page.locator('input[name=email]')).toHaveValue(email);

  await page.fill('input[name=password]', 'brandnew123');
  await page.click('button:has-text("Login")');
  await expect(page.locator('header nav')).toContainText('Logout');
});

test('validation errors show next to the fields and keep what was typed', async ({ page }, testInfo) => {
  await page.goto('/register');
  await ready(page, testInfo);
  await page.fill('input[name=username]', 'x');
  await page.fill('input[name=email]', 'typed@example.com');
  await page.fill('input[name=password]', 'password123');
  await page.fill('input[name=confirm_password]', 'different123');
  // A marker that a full page load would wipe out.
  await page.evaluate(() => { (window as any).__same_page = true; });
  await page.click('button:has-text("Sign Up")');
  await expect(page.locator('#field-username-error')).toHaveText('A username is 2 to 20 characters long.');
  await expect(page.locator('#field-confirm_password-error')).toHaveText('The passwords do not match.');
  await expect(page.locator('input[name=email]')).toHaveValue('typed@example.com');
  await expect(page.locator('input[name=username]')).toHaveValue('x');
  await expect(page).toHaveTitle('Quill - Register');
  // With JavaScript the server function answered in place; without it the browser posted the
  // form and came back to a page the server filled in.
  const samePage = await page.evaluate(() => (window as any).__same_page === true);
  expect(samePage).toBe(testInfo.project.name === 'js-on');
});

test('the login page sends a visitor back where they were going', async ({ page }, testInfo) => {
  await page.goto('/account');
  await expect(page).toHaveURL(/\/login\?next=\/account$/);
  await expect(page.locator('.alert-info')).toHaveText('Please log in to access this page.');
  await page.goto('/no-such-page');
  await expect(page.locator('h1')).toHaveText('Page not found');
});

test('fields are checked in the browser once the page is live', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'js-on', 'needs the WASM');
  await page.goto('/register');
  await ready(page, testInfo);
  await page.fill('input[name=username]', 'no spaces allowed');
  await page.locator('input[name=username]').blur();
  // Nothing was submitted: this message can only come from the hydrated page.
  await expect(page.locator('#field-username-error')).toHaveText("Use only letters, digits, '_' and '-' in a username.");
  await expect(page).toHaveURL(/\/register$/);
  await page.fill('input[name=username]', 'fine_name');
  await page.locator('input[name=username]').blur();
  await expect(page.locator('#field-username-error')).toHaveText('');
});

test('a writer deletes their account from the account page with their password', async ({ page }, testInfo) => {
  const name = await signUp(page);
  await page.goto('/account');
  await ready(page, testInfo);
  const form = page.locator('form', { has: page.locator('#delete-account-password') });
  // A wrong password: the page says so and the account is still there.
  await form.locator('#delete-account-password').fill('not my password');
  await form.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('#delete-account-password-error')).toHaveText('That is not your password.');
  await expect(page.locator('.account-name')).toHaveText(name);

  await page.locator('#delete-account-password').fill('password123');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('.alert-info')).toHaveText('Your account has been deleted, with everything in it.');
  await expect(page.getByRole('link', { name: 'Login' })).toBeVisible();
  expect((await page.request.get(`/user/${name}`)).status()).toBe(404);
  const login = await page.request.post('/_fn/login', {
    form: { email: `${name}@example.com`, password: 'password123' }, headers: { Accept: 'application/json' },
  });
  expect(login.status()).toBe(422);
});

test('a writer downloads everything of theirs from the account page', async ({ page }, testInfo) => {
  const name = await signUp(page);
  const made = await page.request.post('/_fn/create_post', {
    form: { title: 'Taken along', content: 'Words to keep.' }, headers: { Accept: 'application/json' },
  });
  expect(made.status()).toBe(200);
  await page.goto('/account');
  await ready(page, testInfo);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export my data' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^quill-${name}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  // A zip: its local file header, and the post inside (deflated, so by its file's name).
  expect(bytes.subarray(0, 4).toString('binary')).toBe('PK\x03\x04');
  // Slugs are unique across the site: the other project's run may have taken `taken-along`.
  expect(bytes.toString('latin1')).toMatch(/posts\/\d{4}-\d{2}-\d{2}-taken-along(-\d+)?\.md/);
});
