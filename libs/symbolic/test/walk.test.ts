import { describe, expect, test } from 'vitest';
import { atan2, pow, sym } from '@crossgrad/symbolic';
import { childrenOf, operandAt, operandCount } from '../src/expr.js';
import { indexDag, postOrder } from '../src/walk.js';
import { random, randomExpr } from './support.js';

// The walks the compiler and evaluate share: indexDag must list what postOrder lists, in the same order (the
// compiled instructions follow it), with every operand's position right.

describe('indexDag', () => {
  test('the nodes of postOrder, in its order, with the operands of each by position', () => {
    const next = random(20_261_207);
    for (let i = 0; i < 300; i++) {
      const e = randomExpr(next, 6);
      const { nodes, position, start, operands } = indexDag(e);
      expect(nodes).toEqual(postOrder(e));
      expect(nodes[nodes.length - 1]).toBe(e);
      expect(start.length).toBe(nodes.length + 1);
      expect(start[0]).toBe(0);
      expect(operands.length).toBe(start[nodes.length]);
      nodes.forEach((node, p) => {
        expect(position.get(node)).toBe(p);
        const kids = Array.from(operands.subarray(start[p], start[p + 1]), (q) => nodes[q]);
        expect(kids).toEqual(childrenOf(node));
        // Children before parents.
        for (let j = start[p]; j < start[p + 1]; j++) expect(operands[j]).toBeLessThan(p);
      });
    }
  });

  test('an operand used twice by one node (x^x, atan2(y, y)) is one node at one position', () => {
    const x = sym('x');
    const e = atan2(pow(x, x), pow(x, x));
    const { nodes, start, operands } = indexDag(e);
    expect(nodes.map(String)).toEqual(['x', 'x^x', 'atan2(x^x, x^x)']);
    expect(Array.from(start)).toEqual([0, 0, 2, 4]);
    expect(Array.from(operands)).toEqual([0, 0, 1, 1]);
  });

  test('a leaf alone', () => {
    const { nodes, start, operands } = indexDag(sym('x'));
    expect(nodes).toEqual([sym('x')]);
    expect(Array.from(start)).toEqual([0, 0]);
    expect(operands.length).toBe(0);
  });

  test('a chain 100,000 deep, without recursion', () => {
    let e = sym('x');
    for (let i = 0; i < 100_000; i++) e = atan2(e, sym('y'));
    const { nodes, operands } = indexDag(e);
    expect(nodes.length).toBe(100_002);
    expect(operands.length).toBe(200_000);
  }, 60_000);
});

describe('operandCount and operandAt', () => {
  test('agree with childrenOf on every kind', () => {
    const next = random(7_12_2026);
    for (let i = 0; i < 300; i++) {
      for (const node of postOrder(randomExpr(next, 5))) {
        const kids = childrenOf(node);
        expect(operandCount(node)).toBe(kids.length);
        kids.forEach((kid, j) => expect(operandAt(node, j)).toBe(kid));
      }
    }
  });
});
