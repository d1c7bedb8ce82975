// Free checks: documented rejections and auth errors (no task may be created).
import { defineConformanceSuite } from '../src/run/define-suite.ts';

await defineConformanceSuite(['reject', 'auth']);
