// Setup file of both test projects: each test file's temp folders (temp-folder.ts) are removed when its tests end.
// A setup file runs for every test file, also where a worker runs several files with one module cache (the unit
// project: isolate false), where a hook registered by temp-folder.ts itself would run after the first file only.
// Registered first, this hook runs after the file's own afterAll hooks (vitest runs after-hooks in reverse order).
import { afterAll } from 'vitest';
import { removeTempFolders } from './temp-folder.ts';

afterAll(removeTempFolders);
