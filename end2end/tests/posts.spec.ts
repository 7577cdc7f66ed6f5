import { test, expect, ready, signUp, unique } from './helpers';

test('write a post, see it first, edit it, delete it after confirming', async ({ page }, testInfo) => {
  await signUp(page);
  await page.goto('/');
  await ready(page, testInfo);
  await page.click('header nav a:has-text("New Post")');
  await expect(page).toHaveURL(/\/post\/new$/);
  await expect(page).toHaveTitle('Quill - New Post');
  await ready(page, testInfo);
  const title = unique('Post ');
  await page.fill('input[name=title]', title);
  // A new post is Markdown unless its author says otherwise.
  await expect(page.locator('select[name=format]')).toHaveValue('markdown');
  await page.selectOption('select[name=format]', 'text');
  await page.fill('textarea[name=content]', 'First line\nSecond line <b>not bold</b>');
  await page.click('button:has-text("Post")');
  await expect(page).toHaveURL(/\/post\/\d+$/);
  const postUrl = page.url();
  await expect(page.locator('.alert-success')).toHaveText('Your post has been created!');
  await expect(page.locator('h1.post-title')).toHaveText(title);
  // Plain text with its line breaks, never HTML.
  await expect(page.locator('.post-content')).toHaveText('First line\nSecond line <b>not bold</b>');
  await expect(page.locator('.post-content b')).toHaveCount(0);

  await page.goto('/');
  await expect(page.locator('.post-title').first()).toHaveText(title);

  await page.goto(postUrl);
  await ready(page, testInfo);
  await page.click('.post-actions a:has-text("Update")');
  await expect(page).toHaveURL(/\/update$/);
  await ready(page, testInfo);
  await expect(page.locator('input[name=title]')).toHaveValue(title);
  await expect(page.locator('select[name=format]')).toHaveValue('text');
  // Spaces pass the browser's `required` but not the server.
  await page.fill('input[name=title]', '   ');
  await page.click('button:has-text("Update")');
  await expect(page.locator('#field-title-error')).toHaveText('Please give your post a title.');
  await expect(page.locator('textarea[name=content]')).toHaveValue('First line\nSecond line <b>not bold</b>');
  await page.fill('input[name=title]', `${title} edited`);
  await page.click('button:has-text("Update")');
  await expect(page.locator('.alert-success')).toHaveText('Your post has been updated!');
  await expect(page.locator('h1.post-title')).toHaveText(`${title} edited`);

  await ready(page, testInfo);
  await page.click('.post-actions a:has-text("Delete")');
  if (testInfo.project.name === 'js-on') {
    // A dialog on the same page.
    await expect(page.locator('[role=dialog]')).toContainText('Delete Post?');
    await expect(page).toHaveURL(postUrl);
    await page.click('[role=dialog] button:has-text("Cancel")');
    await expect(page.locator('[role=dialog]')).toHaveCount(0);
    await page.click('.post-actions a:has-text("Delete")');
    await page.click('[role=dialog] button:has-text("Delete")');
  } else {
    // A confirmation page.
    await expect(page).toHaveURL(/\/delete$/);
    await expect(page.locator('h1')).toHaveText('Delete Post?');
    await page.click('form button:has-text("Delete")');
  }
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('.alert-success')).toHaveText('Your post has been deleted!');
  await expect(page.locator('.post-title', { hasText: title })).toHaveCount(0);
  const gone = await page.goto(postUrl);
  expect(gone?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
});

test('write in Markdown, preview it, publish it: rendered, sanitized, excerpted', async ({ page }, testInfo) => {
  await signUp(page);
  await page.goto('/post/new');
  await ready(page, testInfo);
  const title = unique('Marked ');
  const source = '# Big news\n\nSome **bold** and a [link](https://example.org).\n\n' +
    '<script>window.__pwned = 1</script>\n\n- [x] done\n- [ ] todo';
  await page.fill('input[name=title]', title);
  await page.fill('textarea[name=content]', source);
  await page.click('[role=tab]:has-text("Preview")');
  const preview = page.locator('#post-preview');
  await expect(preview.locator('strong')).toHaveText('bold');
  await expect(preview.locator('h2')).toHaveText('Big news');
  await expect(preview).toContainText('<script>window.__pwned = 1</script>');
  await expect(page).toHaveURL(/\/post\/new$/);
  if (testInfo.project.name === 'js-on') {
    // The tab shows the preview in place of the text, and Write brings the text back.
    await expect(page.locator('textarea[name=content]')).toBeHidden();
    await page.click('[role=tab]:has-text("Write")');
    await expect(page.locator('textarea[name=content]')).toBeVisible();
    await expect(preview).toBeHidden();
  } else {
    // The form came back from the server with the preview above the kept text.
    await expect(page.locator('input[name=title]')).toHaveValue(title);
  }
  await expect(page.locator('textarea[name=content]')).toHaveValue(source);
  await page.click('button:has-text("Post")');
  await expect(page).toHaveURL(/\/post\/\d+$/);
  const body = page.locator('.post-content.markdown');
  await expect(body.locator('h2')).toHaveText('Big news');
  await expect(body.locator('strong')).toHaveText('bold');
  await expect(body.locator('a[href="https://example.org"]')).toHaveAttribute('rel', 'nofollow ugc noopener');
  await expect(body.locator('input[type=checkbox]')).toHaveCount(2);
  await expect(body.locator('input[type=checkbox]').first()).toBeDisabled();
  await expect(body.locator('pre')).toContainText('<script>window.__pwned = 1</script>');
  await expect(page.locator('.reading-time')).toHaveText('1 min read');
  if (testInfo.project.name === 'js-on') {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  }
  await page.goto('/');
  const card = page.locator('article.post', { hasText: title });
  await expect(card.locator('.post-content.excerpt')).toHaveText(
    /^Big news Some bold and a link\. <script>window.__pwned = 1<\/script> done todo$/);
  await expect(card.locator('.post-content strong')).toHaveCount(0);
});

test('tag a post, follow its tag to the tag page, find it among the most used', async ({ page }, testInfo) => {
  await signUp(page);
  await page.goto('/post/new');
  await ready(page, testInfo);
  const title = unique('Tagged ');
  const tag = unique('t').toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 30);
  await page.fill('input[name=title]', title);
  await page.fill('textarea[name=content]', 'Tagged text');
  // A bad tag is refused next to the field, what was typed kept.
  await page.fill('input[name=tags]', `${tag}, c++`);
  await page.click('button:has-text("Post")');
  await expect(page.locator('#field-tags-error')).toContainText('“c++” is not a tag');
  await expect(page.locator('input[name=tags]')).toHaveValue(`${tag}, c++`);
  await page.fill('input[name=tags]', ` ${tag.toUpperCase()} , extra-tag`);
  await page.click('button:has-text("Post")');
  await expect(page).toHaveURL(/\/post\/\d+$/);
  await expect(page.locator('.post .tags a')).toHaveText([`#${tag}`, '#extra-tag']);
  await page.click(`.post .tags a:has-text("#${tag}")`);
  await expect(page).toHaveURL(new RegExp(`/tag/${tag}$`));
  await expect(page.locator('h1')).toHaveText(`Posts tagged #${tag} (1)`);
  await expect(page.locator('.post-title')).toHaveText([title]);
  await page.goto('/');
  await expect(page.locator('.tag-cloud a', { hasText: '#extra-tag' })).toBeVisible();
});

test('search from the navigation bar: matches highlighted, any input answered', async ({ page }, testInfo) => {
  await signUp(page);
  await page.goto('/post/new');
  await ready(page, testInfo);
  const word = unique('zq').toLowerCase().replace(/[^a-z0-9]/g, '');
  const title = unique('Found ');
  await page.fill('input[name=title]', title);
  await page.fill('textarea[name=content]', `Before the ${word} and after it.`);
  await page.click('button:has-text("Post")');
  await expect(page).toHaveURL(/\/post\/\d+$/);
  await page.fill('header input[name=q]', word.toUpperCase());
  await page.press('header input[name=q]', 'Enter');
  await expect(page).toHaveURL(new RegExp(`/search\\?q=${word.toUpperCase()}$`));
  await expect(page.locator('h1')).toHaveText(`1 post found for “${word.toUpperCase()}”`);
  await expect(page.locator('.snippet mark')).toHaveText(word);
  await page.click(`.post-title a:has-text("${title}")`);
  await expect(page.locator('h1.post-title')).toHaveText(title);
  const res = await page.goto('/search?q=%22unbalanced%20AND%20*');
  expect(res?.status()).toBe(200);
  await expect(page.locator('h1')).toContainText('No posts found');
});

test('another user sees no Update or Delete and is refused on those pages', async ({ page, browser }, testInfo) => {
  const author = await signUp(page);
  const made = await page.request.post('/_fn/create_post', {
    form: { title: `By ${author}`, content: 'Mine.' }, headers: { Accept: 'application/json' },
  });
  expect(made.status()).toBe(200);
  const postPath = made.headers()['location'];
  expect(postPath).toMatch(/^\/post\/\d+$/);

  const context = await browser.newContext({ javaScriptEnabled: testInfo.project.name === 'js-on' });
  const other = await context.newPage();
  await signUp(other);
  await other.goto(postPath);
  await expect(other.locator('h1.post-title')).toHaveText(`By ${author}`);
  await expect(other.locator('.post-actions')).toHaveCount(0);
  for (const suffix of ['/update', '/delete']) {
    const res = await other.goto(postPath + suffix);
    expect(res?.status()).toBe(403);
    await expect(other.locator('h1')).toHaveText('Forbidden');
  }
  await context.close();
});

test('walk the pagination bar over the seeded posts', async ({ page }, testInfo) => {
  await page.goto('/');
  await ready(page, testInfo);
  const bar = page.locator('nav.pagination');
  await expect(bar.locator('.current')).toHaveText('1');
  await expect(bar.locator('.gap')).toHaveCount(1);
  const last = Number(await bar.locator('a.page').last().innerText());
  expect(last).toBeGreaterThan(5);
  const firstTitle = await page.locator('.post-title').first().innerText();

  await bar.locator('a.page', { hasText: String(last) }).click();
  await expect(page).toHaveURL(new RegExp(`\\?page=${last}$`));
  await expect(bar.locator('.current')).toHaveText(String(last));
  await expect(page.locator('.post-title').first()).not.toHaveText(firstTitle);
  // At the end: first page, a gap, the one before, the current one.
  await expect(bar.locator('.page')).toHaveText(['1', '…', String(last - 1), String(last)]);

  await ready(page, testInfo);
  await bar.locator('a.page', { hasText: String(last - 1) }).click();
  await expect(bar.locator('.current')).toHaveText(String(last - 1));
  await expect(bar.locator('.gap')).toHaveCount(1);
  await ready(page, testInfo);
  await bar.locator('a.page', { hasText: /^1$/ }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(bar.locator('.current')).toHaveText('1');
  await expect(page.locator('.post-title').first()).toHaveText(firstTitle);

  // An author's page pages the same way and counts their posts.
  await page.locator('.post-author').first().click();
  await expect(page).toHaveURL(/\/user\/[\w-]+$/);
  await expect(page.locator('h1')).toHaveText(/^[\w-]+$/);
  await expect(page.locator('.author-counts')).toContainText(/\d+ posts?/);

  const missing = await page.goto(`/?page=${last + 1}`);
  expect(missing?.status()).toBe(404);
});

// What link previews and crawlers read: the post page's Open Graph and Twitter tags point at
// the post and its author's picture by absolute address, robots.txt names the sitemap, and the
// sitemap's parts list the new post and its author's page.
test('a post is described for link previews and listed for crawlers', async ({ page, baseURL }, testInfo) => {
  const author = await signUp(page);
  await page.goto('/post/new');
  await ready(page, testInfo);
  const title = unique('Shared ');
  await page.fill('input[name=title]', title);
  await page.fill('textarea[name=content]', 'What a preview shows of this post, in one line.');
  await page.click('button:has-text("Post")');
  await expect(page).toHaveURL(/\/post\/\d+$/);
  const postUrl = page.url();
  const meta = (attr: string, key: string) => page.locator(`meta[${attr}="${key}"]`);
  await expect(meta('property', 'og:title')).toHaveAttribute('content', title);
  await expect(meta('property', 'og:url')).toHaveAttribute('content', postUrl);
  await expect(meta('property', 'og:description')).toHaveAttribute('content',
    'What a preview shows of this post, in one line.');
  await expect(meta('property', 'article:author')).toHaveAttribute('content', `${baseURL}/user/${author}`);
  await expect(meta('name', 'twitter:card')).toHaveAttribute('content', 'summary');
  await expect(meta('name', 'twitter:title')).toHaveAttribute('content', title);
  await expect(page.locator('link[rel=canonical]')).toHaveAttribute('href', postUrl);
  const image = await meta('property', 'og:image').getAttribute('content');
  expect(image).toMatch(new RegExp(`^${baseURL}/`));
  expect(await meta('name', 'twitter:image').getAttribute('content')).toBe(image);
  const picture = await page.request.get(image!);
  expect(picture.status()).toBe(200);
  expect(picture.headers()['content-type']).toMatch(/^image\//);

  const robots = await page.request.get('/robots.txt');
  expect(robots.status()).toBe(200);
  const sitemapUrl = (await robots.text()).match(/^Sitemap: (\S+)$/m)?.[1];
  expect(sitemapUrl).toBe(`${baseURL}/sitemap.xml`);
  const index = await page.request.get(sitemapUrl!);
  expect(index.headers()['content-type']).toContain('xml');
  const parts = [...(await index.text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
  expect(parts.length).toBeGreaterThanOrEqual(2);
  const listed: string[] = [];
  for (const part of parts) {
    expect(part.startsWith(`${baseURL}/sitemap/`), part).toBe(true);
    const res = await page.request.get(part);
    expect(res.status(), part).toBe(200);
    listed.push(...[...(await res.text()).matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]));
  }
  expect(listed).toContain(postUrl);
  expect(listed).toContain(`${baseURL}/user/${author}`);
});
