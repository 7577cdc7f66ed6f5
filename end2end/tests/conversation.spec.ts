import { test, expect, ready, signUp, unique } from './helpers';
import type { APIRequestContext, Page } from '@playwright/test';

// A post written through the server function the editor posts to; its address.
async function writePost(request: APIRequestContext, title: string): Promise<string> {
  const res = await request.post('/_fn/create_post', {
    form: { title, summary: `About ${title}`, content: 'Some text.' },
    headers: { Accept: 'application/json' },
  });
  expect(res.status()).toBe(200);
  const location = res.headers()['location'];
  expect(location).toMatch(/^\/post\/\d+$/);
  return location;
}

// A mark on the window that a page load would wipe: set it, act, and check it is still there.
async function markPage(page: Page) {
  await page.evaluate(() => { (window as any).__quill_same_page = true; });
}
async function expectSamePage(page: Page) {
  expect(await page.evaluate(() => (window as any).__quill_same_page === true)).toBe(true);
}

test('comment on a post, like it, delete the comment', async ({ page }, testInfo) => {
  const jsOn = testInfo.project.name === 'js-on';
  await signUp(page);
  const post = await writePost(page.request, unique('Talk '));
  await page.goto(post);
  await ready(page, testInfo);
  await expect(page.locator('#comments h2')).toHaveText('0 Comments');

  // A comment with nothing in it is refused, the typed text kept.
  await page.fill('#field-comment', '   ');
  await page.click('#comment-form button:has-text("Comment")');
  await expect(page.locator('#field-comment-error')).toHaveText('Please write something in your comment.');

  if (jsOn) await markPage(page);
  await ready(page, testInfo);
  await page.fill('#field-comment', 'First line\nsecond <b>line</b>');
  await page.click('#comment-form button:has-text("Comment")');
  const comment = page.locator('.comment', { hasText: 'First line' });
  await expect(comment.locator('.comment-body')).toHaveText('First line\nsecond <b>line</b>');
  if (jsOn) {
    // Added in place: no page load, the form emptied for the next one.
    await expectSamePage(page);
    await expect(page.locator('#field-comment')).toHaveValue('');
  } else {
    await expect(page).toHaveURL(/#comment-\d+$/);
    await expect(page.locator('.alert-success')).toHaveText('Your comment has been added.');
    await expect(page.locator('#comments h2')).toHaveText('1 Comment');
  }

  // Like it, and take it back.
  const like = page.locator('.post-bar button.likes');
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  await like.click();
  await expect(like).toHaveAttribute('aria-pressed', 'true');
  await expect(like).toContainText('1');
  if (jsOn) await expectSamePage(page);
  await ready(page, testInfo);
  await like.click();
  await expect(like).toHaveAttribute('aria-pressed', 'false');
  await expect(like).toContainText('0');
  await ready(page, testInfo);
  await like.click();
  await expect(like).toHaveAttribute('aria-pressed', 'true');

  // The card on the author's page counts both.
  await page.goto('/');
  const card = page.locator('article.post', { has: page.locator(`a[href="${post}"]`) });
  await expect(card.locator('.comment-count')).toHaveText('1 comment');
  await expect(card.locator('.likes')).toHaveAttribute('aria-pressed', 'true');

  // Delete the comment: a dialog with JavaScript, a confirmation page without.
  await page.goto(post);
  await ready(page, testInfo);
  if (jsOn) await markPage(page);
  await comment.locator('a.comment-delete').click();
  if (jsOn) {
    await expect(page.locator('[role=dialog]')).toContainText('Delete Comment?');
    await page.click('[role=dialog] button:has-text("Delete")');
    await expect(comment).toHaveCount(0);
    await expectSamePage(page);
  } else {
    await expect(page.locator('h1')).toHaveText('Delete Comment?');
    await page.click('form button:has-text("Delete")');
    await expect(page.locator('.alert-success')).toHaveText('The comment has been deleted.');
  }
  await page.goto(post);
  await expect(page.locator('.comment')).toHaveCount(0);
});

test('follow an author and read the Following feed', async ({ page, request }, testInfo) => {
  const jsOn = testInfo.project.name === 'js-on';
  // Another writer, in a session of their own.
  const author = unique('a');
  const form = { username: author, email: `${author}@example.com`, password: 'password123', confirm_password: 'password123' };
  expect((await request.post('/_fn/register', { form, headers: { Accept: 'application/json' } })).status()).toBe(200);
  expect((await request.post('/_fn/login', {
    form: { email: form.email, password: 'password123' }, headers: { Accept: 'application/json' },
  })).status()).toBe(200);
  const title = unique('Followed ');
  await writePost(request, title);

  await signUp(page);
  await page.goto('/following');
  await expect(page.locator('.empty')).toContainText('Posts of the people you follow show up here.');

  await page.goto(`/user/${author}`);
  await ready(page, testInfo);
  if (jsOn) await markPage(page);
  const button = page.locator('.follow-form button');
  await expect(button).toHaveText('Follow');
  await expect(page.locator('.follower-count')).toHaveText('0 followers');
  await button.click();
  await expect(button).toHaveText('Unfollow');
  await expect(page.locator('.follower-count')).toHaveText('1 follower');
  if (jsOn) await expectSamePage(page);

  await page.goto('/');
  await page.click('.list-tabs a:has-text("Following")');
  await expect(page).toHaveURL(/\/following$/);
  await expect(page.locator('.post-title').first()).toHaveText(title);
  // The summary stands in for the start of the text on the card.
  await expect(page.locator('article.post').first().locator('.excerpt')).toHaveText(`About ${title}`);

  await page.goto(`/user/${author}`);
  await ready(page, testInfo);
  await page.locator('.follow-form button').click();
  await expect(page.locator('.follow-form button')).toHaveText('Follow');
  await page.goto('/following');
  await expect(page.locator('.post-title')).toHaveCount(0);
});
