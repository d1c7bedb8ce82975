import type { Clock } from '../core/clock.ts';
import type { Rate } from '../spec/error-model.ts';

/** A token bucket on the mock's clock: `burst` tokens, refilled at `perSecond` (or perMinute/60). */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;
  readonly limit: number;

  constructor(
    rate: Rate,
    private readonly clock: Clock,
  ) {
    const perSecond = rate.perSecond ?? (rate.perMinute ?? 60) / 60;
    this.capacity = rate.burst ?? Math.max(1, Math.ceil(perSecond));
    this.perMs = perSecond / 1000;
    this.tokens = this.capacity;
    this.last = clock.now();
    this.limit = rate.perMinute ?? Math.ceil(perSecond);
  }

  /** Takes a token; when none is left, says after how many seconds one will be. */
  take(): { allowed: boolean; remaining: number; retryAfterSeconds: number; resetSeconds: number } {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const retryAfterSeconds = allowed ? 0 : Math.ceil((1 - this.tokens) / this.perMs / 1000);
    const resetSeconds = Math.ceil((this.capacity - this.tokens) / this.perMs / 1000);
    return { allowed, remaining: Math.floor(this.tokens), retryAfterSeconds, resetSeconds };
  }
}
