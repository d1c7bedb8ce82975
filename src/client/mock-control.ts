import { request } from 'undici';

/**
 * The /__mock/ control endpoints, over HTTP, for suites that need what no live gateway offers: virtual time,
 * fault scenarios, and evidence of what the server saw (tasks created, attempts made).
 */
export class MockControl {
  constructor(private readonly baseUrl: string) {}

  async tasks(
    traceId?: string,
  ): Promise<{ id: string; status: string; traceId?: string; request: unknown; settings: unknown }[]> {
    return this.get(`/tasks${traceId ? `?traceId=${encodeURIComponent(traceId)}` : ''}`);
  }

  async requests(
    scenarioId: string,
  ): Promise<
    { operation: string; status: number; at: number; rejectedFor?: { pointer: string; message: string }[] }[]
  > {
    return this.get(`/requests?scenarioId=${encodeURIComponent(scenarioId)}`);
  }

  async advanceClock(ms: number): Promise<void> {
    await this.post('/clock', { advanceMs: ms });
  }

  async info(): Promise<{ provider: string; claims: string; now: number }> {
    return this.get('/info');
  }

  private async get<T>(path: string): Promise<T> {
    const res = await request(`${this.baseUrl}/__mock${path}`);
    return (await res.body.json()) as T;
  }

  private async post(path: string, body: unknown): Promise<void> {
    const res = await request(`${this.baseUrl}/__mock${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`mock control ${path} answered ${res.statusCode}`);
  }
}
