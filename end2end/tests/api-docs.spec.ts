import { test, expect } from './helpers';

// The API documentation page: Swagger UI served by Quill itself, reading the server's own
// OpenAPI document. It needs JavaScript, so it runs only with JavaScript on.
test.describe('API docs', () => {
  test.skip(({}, testInfo) => testInfo.project.name !== 'js-on', 'Swagger UI is a script');

  test('works offline and calls the API', async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const elsewhere: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });

    await page.goto('/api/v1/docs');
    await expect(page).toHaveURL(/\/api\/v1\/docs\/$/);
    await expect(page.locator('.info .title')).toContainText('Quill API');
    await expect(page.locator('#operations-auth-register')).toBeVisible();
    await expect(page.locator('.opblock')).toHaveCount(15);
    await expect(page.locator('button.authorize')).toBeVisible();

    const list = page.locator('#operations-posts-list_posts');
    await list.locator('.opblock-summary').click();
    await list.getByRole('button', { name: 'Try it out' }).click();
    await list.getByRole('button', { name: 'Execute' }).click();
    const status = list.locator('.live-responses-table .response-col_status').first();
    await expect(status).toHaveText('200');
    await expect(list.locator('.live-responses-table .microlight').first()).toContainText('"status": "success"');
    await page.screenshot({ path: 'test-results/api-docs.png', fullPage: false });

    expect(elsewhere, 'requests to other sites').toEqual([]);
  });
});
