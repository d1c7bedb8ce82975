import { http, type HttpHandler } from 'msw';
import { toWebResponse, type MockRoute } from './mock-route.ts';

const METHODS = { GET: http.get, POST: http.post, PUT: http.put, PATCH: http.patch, DELETE: http.delete } as const;

/** The msw adapter: each route as an msw handler on `base` ('*' for any origin), for setupServer() in users' tests. */
export function toMswHandlers(routes: readonly MockRoute[], base: string): HttpHandler[] {
  return routes.map((route) => {
    const on = METHODS[route.method as keyof typeof METHODS];
    if (!on) throw new Error(`the mock has no msw handler for method ${route.method}`);
    return on(`${base}${route.path}`, async ({ request, params }) =>
      toWebResponse(
        await route.handle(request, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]))),
      ),
    );
  });
}
