import { getAt } from '../core/json-pointer.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { TaskOperationName } from '../spec/task-model.ts';
import type { Exchange } from './exchange.ts';

/** Most task URLs kept at once: the oldest is forgotten past it. */
const MAX_FOLLOWED = 10_000;

/**
 * Operation URLs the create responses named, per task (fal's status_url), kept only on the base URL's origin: a
 * gateway does not get to send our key somewhere else.
 */
export class FollowedUrls {
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly spec: ProviderSpec,
    private readonly baseUrl: string,
  ) {}

  /** the URL the create response named for this operation of this task, if any was kept */
  get(name: TaskOperationName, taskId: string): string | undefined {
    return this.urls.get(`${name}\u0000${taskId}`);
  }

  /** Keeps the URLs a create response names for its task; one on another origin is refused with a warning. */
  remember(exchange: Exchange, taskId: string | undefined): void {
    if (!taskId) return;
    const origin = new URL(this.baseUrl).origin;
    for (const name of ['poll', 'result', 'cancel'] as const) {
      const pointer = this.spec.x.operations[name]?.urlFrom;
      const url = pointer ? getAt(exchange.body, pointer) : undefined;
      if (typeof url !== 'string') continue;
      try {
        if (new URL(url).origin === origin) this.urls.set(`${name}\u0000${taskId}`, url);
        else
          exchange.warnings = [
            ...(exchange.warnings ?? []),
            `${pointer} names ${new URL(url).origin}, not ${origin}: not followed (the documented path is used)`,
          ];
      } catch {
        exchange.warnings = [...(exchange.warnings ?? []), `${pointer} is not a URL: the documented path is used`];
      }
    }
    if (this.urls.size > MAX_FOLLOWED) this.urls.delete(this.urls.keys().next().value!);
  }
}
