import { describe, expect, test } from 'vitest';
import { FunctionWriter, LoopVariables } from '@crossgrad/loops';

describe('LoopVariables', () => {
  test('one variable per step, declared in the head; step 0 is the slot itself', () => {
    const q = new LoopVariables();
    expect([q.slot(10, 4), q.slot(3, 0), q.slot(7, -2), q.slot(11, 4)]).toEqual([
      '10+q0',
      '3',
      '7+q1',
      '11+q0',
    ]);
    expect(q.head()).toBe('const q0=r*4,q1=r*-2;');
    expect(q.head(['t=5+r*3'])).toBe('const q0=r*4,q1=r*-2,t=5+r*3;');
    expect(new LoopVariables().head()).toBe('');
  });
});

describe('FunctionWriter', () => {
  /** Runs the functions written (each a body over `v`, helpers before them) on v. */
  const run = (helpers: string[], functions: string[], v: number[]): number[] => {
    const source = `${helpers.join('\n')}\nreturn [${functions.map((f) => `function(v){${f}}`).join(',')}];`;
    for (const f of new Function(source)() as ((v: number[]) => void)[]) f(v);
    return v;
  };

  test('straight code and loops, in order, share a function; a descending loop runs r down', () => {
    const helpers: string[] = [];
    const w = new FunctionWriter(helpers, 'v');
    w.straight('v[0]=1;');
    w.loop(4, 'const q0=r*1;', ['v[1+q0]=v[q0]*2;']);
    w.straight('v[6]=v[4]+1;');
    w.loop(3, '', ['v[7]=v[7]*10+r;'], true);
    const functions = w.functions();
    expect(functions).toEqual([
      'v[0]=1;for(let r=0;r<4;r++){const q0=r*1;v[1+q0]=v[q0]*2;}v[6]=v[4]+1;for(let r=2;r>=0;r--){v[7]=v[7]*10+r;}',
    ]);
    expect(helpers).toEqual([]);
    expect(run(helpers, functions, new Array<number>(8).fill(0))).toEqual([1, 2, 4, 8, 16, 0, 17, 210]);
  });

  test('a function ends before 32,000 characters; a body past 32,000 goes to helpers of about 8,000', () => {
    const helpers: string[] = [];
    const w = new FunctionWriter(helpers, 'v');
    const add = 'v[0]=v[0]+1;'; // 12 characters
    for (let i = 0; i < 4000; i++) w.straight(add);
    w.loop(2, '', ['v[2]=v[2]+v[0];']);
    const parts = Array.from({ length: 3000 }, () => 'v[1+q0]=v[1+q0]+1;');
    w.loop(5, 'const q0=r*0;', parts);
    const functions = w.functions();
    // 4,000 additions: one function of 2,666 (32,000 characters would be past the limit), then the other 1,334
    // with the short loop and the loop of helper calls.
    expect(functions.length).toBe(2);
    expect(functions[0]).toBe(add.repeat(2666));
    expect(
      functions[1].startsWith(
        `${add.repeat(1334)}for(let r=0;r<2;r++){v[2]=v[2]+v[0];}for(let r=0;r<5;r++){h0(v,r);h1(v,r);`,
      ),
    ).toBe(true);
    expect(helpers.length).toBe(Math.ceil(parts.join('').length / 8000));
    expect(helpers.every((h) => h.length < 8100 && h.startsWith('function h'))).toBe(true);
    const v = run(helpers, functions, [0, 0, 0]);
    expect(v).toEqual([4000, 15_000, 8000]);
  });
});
