import { describe, expect, test } from 'vitest';
import { atan2, type Expr, pow, sym } from '@crossgrad/symbolic';
import { childrenOf, operandAt, operandCount } from '../src/expr.js';
import { indexDag, postOrder } from '../src/walk.js';
import { random, randomExpr } from './support.js';

// The walks the compiler and evaluate share: indexDag must list what postOrder lists, in the order the nodes were
// made (the compiled instructions follow it), with every operand's position right.

describe('indexDag', () => {
  test('the nodes of postOrder, in the order they were made, with the operands of each by position', () => {
    const next = random(20_261_207);
    for (let i = 0; i < 300; i++) {
      const e = randomExpr(next, 6);
      const dag = indexDag(e);
      const { nodes, start, operands } = dag;
      expect(new Set(nodes)).toEqual(new Set(postOrder(e)));
      expect(nodes.length).toBe(postOrder(e).length);
      for (let p = 1; p < nodes.length; p++) expect(nodes[p].id).toBeGreaterThan(nodes[p - 1].id);
      expect(nodes[nodes.length - 1]).toBe(e);
      expect(start.length).toBe(nodes.length + 1);
      expect(start[0]).toBe(0);
      expect(operands.length).toBe(start[nodes.length]);
      nodes.forEach((node, p) => {
        expect(dag.positionOf(node)).toBe(p);
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

  test('positionOf: -1 off the DAG, and right after later walks have marked the same nodes again', () => {
    // Names and numbers no other test makes, so that the order of making is this test's.
    const x = sym('walked');
    const e = atan2(pow(x, 2.2578125), x);
    const dag = indexDag(e);
    expect(dag.positionOf(sym('y'))).toBe(-1);
    expect(dag.positionOf(pow(x, 3.2578125))).toBe(-1);
    // Another walk over some of the same nodes (x, 2.2578125, x^2.2578125), made before x^3.2578125 and its 3.2578125: listed first.
    const other = indexDag(atan2(pow(x, 3.2578125), pow(x, 2.2578125)));
    expect(other.nodes.map(String)).toEqual([
      'walked',
      '2.2578125',
      'walked^2.2578125',
      '3.2578125',
      'walked^3.2578125',
      'atan2(walked^3.2578125, walked^2.2578125)',
    ]);
    expect(other.positionOf(pow(x, 2.2578125))).toBe(2);
    expect(dag.nodes.map(String)).toEqual([
      'walked',
      '2.2578125',
      'walked^2.2578125',
      'atan2(walked^2.2578125, walked)',
    ]);
    expect(dag.nodes.map((n) => dag.positionOf(n))).toEqual([0, 1, 2, 3]);
    expect(dag.positionOf(pow(x, 3.2578125))).toBe(-1);
    expect(other.nodes.map((n) => other.positionOf(n))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test('a visitor is told of each node as it is listed, with its operands listed before it', () => {
    const next = random(5_1207);
    for (let i = 0; i < 100; i++) {
      const e = randomExpr(next, 6);
      const seen: Expr[] = [];
      const dag = indexDag(e, {
        visit(node, p, operands, from, k) {
          expect(p).toBe(seen.length);
          expect(k).toBe(childrenOf(node).length);
          for (let j = 0; j < k; j++) expect(seen[operands[from + j]]).toBe(childrenOf(node)[j]);
          seen.push(node);
        },
      });
      expect(seen).toEqual(dag.nodes);
    }
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
