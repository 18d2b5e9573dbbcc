/**
 * Instructions written out once (outside loops) past which a compiler had better generate no code: straight-line
 * code optimises slowly (measured on random autograd graphs: 300 instructions 1.3× faster than the interpreter
 * after 200 runs, 1,000 instructions still 2× slower). Both compilers pass it to `findRepeats` as `maxStraight`.
 *
 * @example
 * ```ts
 * findRepeats(shape, slots, slotStart, { maxStraight: MAX_STRAIGHT });
 * ```
 */
export const MAX_STRAIGHT = 400;

/** Characters of a loop body's code per helper function, where a body is cut into helpers. */
const CHUNK = 8000;
/**
 * Characters per generated function: code written out once and loops are packed together in their order up to this
 * size, and a loop whose body alone is longer is cut into helper functions of CHUNK characters. It keeps each
 * function under the size (about 60 KB of bytecode) past which V8 never optimises a function.
 */
const BODY = 32_000;

/**
 * The loop variables of one loop's body: a slot `s` of repetition 0 moving by `step` per repetition is written
 * `s+qN` with `qN = r·step` declared once at the top of the body (`head`).
 *
 * @example
 * ```ts
 * const q = new LoopVariables();
 * `v[${q.slot(10, 4)}]`; // 'v[10+q0]'
 * q.head(); // 'const q0=r*4;'
 * ```
 */
export class LoopVariables {
  #names = new Map<number, string>();

  /** Slot `s` of repetition 0, moving by `step` per repetition, as code (`s` alone for step 0). */
  slot(s: number, step: number): string {
    if (step === 0) return String(s);
    let q = this.#names.get(step);
    if (q === undefined) this.#names.set(step, (q = `q${this.#names.size}`));
    return `${s}+${q}`;
  }

  /** The declarations of the variables used so far (and `extra` ones, as `name=expression`), or ''. */
  head(extra: readonly string[] = []): string {
    const all = [...[...this.#names].map(([step, q]) => `${q}=r*${step}`), ...extra];
    return all.length === 0 ? '' : `const ${all.join(',')};`;
  }
}

/**
 * Generated code gathered into functions small enough for the engine's optimising compiler: code written out once
 * and loops packed together, in the order they run, up to 32,000 characters a function, and a loop whose body is
 * past 32,000 characters cut into helper functions called in turn for each repetition. Code written out once thus
 * shares a function with the loops around it: V8 optimises a function once it has run enough of its code, which a
 * loop does in its first call, whereas a function of code written out once, called once a pass, waited some 500
 * passes for it (W4: 0.33 ms a pass until then, 0.22 after). The pass runs `functions()` in order; the helpers,
 * named `h0`, `h1`, … across every writer sharing the `helpers` list, take `params` and `r`.
 *
 * @example
 * ```ts
 * const helpers: string[] = [];
 * const w = new FunctionWriter(helpers, 'v');
 * w.straight('v[2]=v[0]+v[1];');
 * w.loop(10, 'const q0=r*1;', ['v[3+q0]=v[2+q0]*2;']);
 * w.functions(); // ['v[2]=v[0]+v[1];for(let r=0;r<10;r++){const q0=r*1;v[3+q0]=v[2+q0]*2;}']
 * ```
 */
export class FunctionWriter {
  readonly #functions: string[] = [];
  /** The function being filled. */
  #current = '';

  constructor(
    private readonly helpers: string[],
    private readonly params: string,
  ) {}

  /** Code run once, after what was written before. */
  straight(code: string): void {
    this.#add(code);
  }

  /**
   * `reps` repetitions of the body `parts` (in the order they run), its loop variables declared by `head`;
   * `descending` runs r from reps - 1 down to 0 (a backward pass).
   */
  loop(reps: number, head: string, parts: readonly string[], descending = false): void {
    const loop = descending ? `for(let r=${reps - 1};r>=0;r--)` : `for(let r=0;r<${reps};r++)`;
    const body = parts.join('');
    if (body.length <= BODY) {
      this.#add(`${loop}{${head}${body}}`);
      return;
    }
    const helpers = this.helpers;
    const args = `${this.params},r`;
    const calls: string[] = [];
    let group = '';
    const cut = (): void => {
      calls.push(`h${helpers.length}(${args});`);
      helpers.push(`function h${helpers.length}(${args}){${head}${group}}`);
      group = '';
    };
    for (const part of parts) {
      group += part;
      if (group.length > CHUNK) cut();
    }
    if (group !== '') cut();
    this.#add(`${loop}{${calls.join('')}}`);
  }

  /** The bodies of the functions written, in the order they run. */
  functions(): string[] {
    return this.#current === '' ? this.#functions.slice() : [...this.#functions, this.#current];
  }

  /** `code` after what was written before: in the current function while it stays within BODY characters. */
  #add(code: string): void {
    if (this.#current !== '' && this.#current.length + code.length > BODY) {
      this.#functions.push(this.#current);
      this.#current = '';
    }
    this.#current += code;
  }
}
