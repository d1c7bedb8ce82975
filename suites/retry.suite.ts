// Retry semantics of the client under test (the reference client, or yours via --client) against
// scripted mock faults, in virtual time.
import { defineConformanceSuite } from '../src/run/define-suite.ts';

await defineConformanceSuite(['retry']);
