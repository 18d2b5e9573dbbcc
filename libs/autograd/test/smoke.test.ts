import { expect, test } from 'vitest';
import { placeholder } from '@crossgrad/autograd';

test('resolves', () => {
  expect(placeholder).toBe(1);
});
