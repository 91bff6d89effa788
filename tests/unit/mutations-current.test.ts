import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mutations, staleMutations } from '../mutate/mutations.ts';

// `npm run mutate` is slow and runs by hand; this keeps its list in step with the code it breaks.
test('every mutation of `npm run mutate` still finds the code it breaks, exactly once', () => {
  assert.ok(mutations.length > 60, `the list holds ${mutations.length} mutations`);
  assert.deepEqual(staleMutations(mutations), []);
});
