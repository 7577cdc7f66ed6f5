import { test, expect, ready } from './helpers';

// The API documentation page: Swagger UI served by Quill itself, reading the server's own
// OpenAPI document. It needs JavaScript, so it runs only with JavaScript on.
test.describe('API docs', () => {
  test('works offline and calls the API', async ({ page, baseURL }, testInfo) => {
    test.skip(testInfo.project.name !== 'js-on', 'Swagger UI is a script');
    const origin = new URL(baseURL!).origin;
    const elsewhere: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });

    // The about page links to it, past the client-side router.
    await page.goto('/about');
    await ready(page, testInfo);
    await page.getByRole('link', { name: 'API documentation' }).click();
    await expect(page).toHaveURL(/\/api\/v1\/docs\/$/);
    await expect(page.locator('.info .title')).toContainText('Quill API');
    await expect(page.locator('#operations-auth-register')).toBeVisible();
    await expect(page.locator('.opblock')).toHaveCount(26);
    await expect(page.locator('button.authorize')).toBeVisible();

    const list = page.locator('#operations-posts-list_posts');
    await list.locator('.opblock-summary').click();
    // "Try it out" is on from the start (tryItOutEnabled).
    await list.getByRole('button', { name: 'Execute' }).click();
    const answer = list.locator('.live-responses-table tbody tr.response').first();
    await expect(answer.locator('.response-col_status')).toHaveText('200');
    await expect(answer).toContainText('"status": "success"');
    await expect(answer).toContainText('x-total-count');
    await page.screenshot({ path: 'test-results/api-docs.png', fullPage: false });

    expect(elsewhere, 'requests to other sites').toEqual([]);
  });
});
