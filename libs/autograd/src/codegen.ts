import { EXP_METHOD, LOG1P_METHOD, exp, log1p } from '@crossgrad/libm';
import { ADD, DOT, FN, FN2, FNS, MUL, POW, POWK, SUM, firstSlots } from './opcodes.js';
import { FUNCTIONS, reciprocalSquare, type FnRule } from './rules.js';

/**
 * The merged tape as compile.ts records it, read by the generator: per instruction its opcode and operands (see
 * opcodes.ts and `Tape.#fuse`), the exponents of `**k`, and which leaf slots are frozen (their values are written
 * into the code as constants, and the grads sent to them, which nothing reads, are not computed).
 *
 * @example
 * ```ts
 * const sweep = generateSweep({ code, a, b, args, k, leaves, val, frozen } satisfies MergedTape);
 * ```
 */
export interface MergedTape {
  readonly code: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly args: Int32Array;
  /** Per slot after the leaves: the exponent of a `**k`. */
  readonly k: Float64Array;
  readonly leaves: number;
  /** Values of the slots (the frozen leaves' are read). */
  readonly val: Float64Array;
  /** 1 for a leaf slot that is not an input. */
  readonly frozen: Uint8Array;
}

/**
 * The compiled passes and the memory they work on: values and grads per slot, local derivatives per slot after
 * the leaves, as Float64Array views of the module's memory (the interpreter's arrays, moved there). `forward`
 * fills values and local derivatives; `backward` sends grads down as the interpreter's backward does (with `all`
 * false, an instruction whose grad is 0 and whose local derivatives are finite is skipped, see `Tape.#backward`).
 *
 * @example
 * ```ts
 * sweep.val.set(inputs);
 * sweep.forward();
 * sweep.backward(false);
 * ```
 */
export interface GeneratedSweep {
  readonly val: Float64Array;
  readonly grad: Float64Array;
  readonly d0: Float64Array;
  readonly d1: Float64Array;
  forward(): void;
  backward(all: boolean): void;
  /** Bytes of the WebAssembly module. */
  readonly moduleBytes: number;
}

/**
 * Bytes of code per generated function: a function ends at the first instruction past this. The size barely
 * changed the time per run on W4-shaped graphs (chunks of 250 to 8,000 instructions measured alike); smaller
 * functions let the engine compile them lazily and move only the hot ones to its optimising tier.
 *
 * @example
 * ```ts
 * CHUNK_BYTES; // 65536
 * ```
 */
export const CHUNK_BYTES = 64 * 1024;

/** WebAssembly's limit on one function's body (V8's, in bytes); a single instruction larger than it is not generated. */
const MAX_FUNCTION_BYTES = 7_000_000;

// Function indices: the imports (log, sin, cos, tan and pow are Math's, which V8 calls directly as the same C code;
// `exp` and `log1p` are libm's, which the module's own exp and log1p call off their fast paths), then each table
// function's value and derivative for the generic case, then the module's own functions.
const MATH = ['exp', 'log', 'sin', 'cos', 'tan', 'pow', 'log1p', 'tanh'] as const;
const [EXP, LOG, SIN, COS, TAN, POWF, LOG1P, TANH] = MATH.map((_, k) => k);
const GENERIC_VALUE = (r: number): number => MATH.length + 2 * r;
const GENERIC_DERIVATIVE = (r: number): number => MATH.length + 2 * r + 1;
const RSQ = MATH.length + 2 * FNS.length; // rules.ts's reciprocalSquare, `**`'s d/da at b = -1
const IMPORTS = RSQ + 1;
/** The module's own exp and log1p (libm's operations, see `expBody`, `log1pBody`), its first functions after the
 * imports. */
const EXP_OWN = IMPORTS;
const LOG1P_OWN = IMPORTS + 1;

// Opcodes of WebAssembly used here.
const I32_CONST = 0x41;
const BLOCK = 0x02;
const BR_IF = 0x0d;
const RETURN = 0x0f;
const F64_LE = 0x65;
const I32_AND = 0x71;
const I32_ADD = 0x6a;
const I32_SHL = 0x74;
const I32_SHR_S = 0x75;
const I32_TRUNC_F64_S = 0xaa;
const I32_MUL = 0x6c;
const I32_WRAP_I64 = 0xa7;
const I64_REINTERPRET_F64 = 0xbd;
const F64_CONST = 0x44;
const F64_LOAD = 0x2b;
const F64_STORE = 0x39;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const CALL = 0x10;
const IF = 0x04;
const END = 0x0b;
const SELECT = 0x1b;
const I32_OR = 0x72;
const F64_EQ = 0x61;
const F64_NE = 0x62;
const F64_LT = 0x63;
const F64_GT = 0x64;
const F64_GE = 0x66;
const F64_ABS = 0x99;
const F64_NEG = 0x9a;
const F64_SQRT = 0x9f;
const F64_ADD = 0xa0;
const F64_SUB = 0xa1;
const F64_MUL = 0xa2;
const F64_DIV = 0xa3;
const F64_MAX = 0xa5;
const F64 = 0x7c;
const I32 = 0x7f;

/** Whether the table's functions are written out as wasm where the generator knows them (see `unary`). */
let inlineFunctions = true;

/**
 * For tests (not exported from the package): with `false`, every function of the table is called through its imported closures, the
 * generic case a newly added function takes.
 *
 * @example
 * ```ts
 * setInlineFunctions(false);
 * ```
 */
export function setInlineFunctions(on: boolean): void {
  inlineFunctions = on;
}

/** A growable byte buffer with the encodings of WebAssembly's binary format. */
class Bytes {
  buf = new Uint8Array(1 << 16);
  n = 0;
  readonly #f64 = new Float64Array(1);
  readonly #f64Bytes = new Uint8Array(this.#f64.buffer);

  #room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buf.length, this.n + k));
    grown.set(this.buf.subarray(0, this.n));
    this.buf = grown;
  }
  /** One to four bytes. */
  byte(b0: number, b1 = -1, b2 = -1, b3 = -1): void {
    if (this.n + 4 > this.buf.length) this.#room(4);
    const buf = this.buf;
    buf[this.n++] = b0;
    if (b1 >= 0) buf[this.n++] = b1;
    if (b2 >= 0) buf[this.n++] = b2;
    if (b3 >= 0) buf[this.n++] = b3;
  }
  /** Unsigned LEB128. */
  u32(x: number): void {
    if (this.n + 5 > this.buf.length) this.#room(5);
    do {
      let b = x & 0x7f;
      x >>>= 7;
      if (x !== 0) b |= 0x80;
      this.buf[this.n++] = b;
    } while (x !== 0);
  }
  /** Signed LEB128 (an i32.const's immediate). */
  i32(x: number): void {
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }
  f64(x: number): void {
    this.#f64[0] = x;
    if (this.n + 8 > this.buf.length) this.#room(8);
    const src = this.#f64Bytes;
    const buf = this.buf;
    for (let k = 0; k < 8; k++) buf[this.n++] = src[k];
  }
  bytes(b: Uint8Array): void {
    this.#room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
  }
  name(s: string): void {
    this.u32(s.length);
    for (let k = 0; k < s.length; k++) this.byte(s.charCodeAt(k));
  }
  done(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }
}

/** The part of the WebAssembly API used here (typed locally: the library's TypeScript lib has no DOM types). */
interface WasmApi {
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> };
}

/** One section: id, size, contents. */
function section(out: Bytes, id: number, body: Bytes): void {
  out.byte(id);
  out.u32(body.n);
  out.bytes(body.done());
}

/**
 * WebAssembly for the merged tape: one function per chunk of instructions, straight-line code over the values,
 * grads and local derivatives in linear memory, the same floating-point operations in the same order as the
 * interpreter (so the same numbers, bit for bit). The functions of the table that W4 and the MLPs use are written
 * out as wasm instructions plus calls of the module's own exp and log1p (libm's operations, their tables in memory)
 * and of Math's log, sin, cos, tan, pow (which V8 calls directly) and tanh; any other entry of the table is called
 * through its own `value` and `derivative` closures, imported, so a function added to the table works here with no
 * change. Undefined when one merged instruction alone is past the
 * size of a function (a sum of millions of terms); throws where WebAssembly is missing or refused (a
 * Content-Security-Policy without `wasm-unsafe-eval` makes compiling a `CompileError`).
 *
 * @example
 * ```ts
 * const sweep = generateSweep(mergedTape); // undefined: stay on the interpreter
 * ```
 */
export function generateSweep(t: MergedTape): GeneratedSweep | undefined {
  const { code, a, b, args, k, leaves, val, frozen } = t;
  const m = code.length;
  const n = val.length;
  // Two-argument functions (atan2, min, max) have no generated form yet: such a graph stays on the interpreter.
  for (let f = 0; f < m; f++) if (code[f]! >= FN2 && code[f]! < SUM) return undefined;
  // Byte addresses in memory.
  const VAL = 0;
  const GRAD = 8 * n;
  const D0 = 16 * n;
  const M = n - leaves; // local derivatives: one per node after the leaves
  const D1 = 16 * n + 8 * M;
  // libm's tables after them, one after the other: exp's 2^(i/128), their rounding errors and the powers of two,
  // then log1p's intervals. `at[t]` is table t's byte address.
  const tables = [EXP_METHOD.scale, EXP_METHOD.tail, EXP_METHOD.pow2, LOG1P_METHOD.table];
  const at: number[] = [];
  let bytes = 16 * n + 16 * M;
  for (const t of tables) {
    at.push(bytes);
    bytes += 8 * t.length;
  }
  const [SCALE, TAIL, POW2, LOG1P_TABLE] = at;

  const first = firstSlots(code, b, leaves);

  let w = new Bytes();
  // Locals of every chunk (after the backward chunks' parameter `all`, local 0).
  let base = 0;
  const X = (): number => base;
  const Y = (): number => base + 1;
  const S = (): number => base + 2;
  const P = (): number => base + 3;
  const G = (): number => base + 4;
  const U = (): number => base + 5;
  const E = (): number => base + 6;
  const get = (l: number): void => w.byte(LOCAL_GET, l);
  const set = (l: number): void => w.byte(LOCAL_SET, l);
  const tee = (l: number): void => w.byte(LOCAL_TEE, l);
  const num = (x: number): void => {
    w.byte(F64_CONST);
    w.f64(x);
  };
  const call = (fn: number): void => {
    w.byte(CALL);
    w.u32(fn);
  };
  const load = (addr: number): void => {
    w.byte(I32_CONST, 0, F64_LOAD, 3);
    w.u32(addr);
  };
  const store = (addr: number): void => {
    w.byte(F64_STORE, 3);
    w.u32(addr);
  };
  const address = (): void => w.byte(I32_CONST, 0);
  const isFrozen = (s: number): boolean => s < leaves && frozen[s] === 1;
  const ref = (s: number): void => (isFrozen(s) ? num(val[s]) : load(VAL + 8 * s));

  /** Pushes 1 / (1 + exp(-x)) for x in local `x` (sigmoid's value, softplus's derivative). */
  const logistic = (x: number): void => {
    num(1);
    num(1);
    get(x);
    w.byte(F64_NEG);
    call(EXP_OWN);
    w.byte(F64_ADD, F64_DIV);
  };

  /** y = f(x) into local Y, with x in local X, then the local derivative on the stack. */
  const unary = (c: number, j: number): void => {
    const x = X();
    const y = Y();
    if (c === POWK) {
      const e = k[j];
      // a^-1 = 1 / a (the rule's value)
      if (e === -1) {
        num(1);
        get(x);
        w.byte(F64_DIV);
      } else {
        get(x);
        num(e);
        call(POWF);
      }
      set(y);
      // b === 0 ? 0 : b === -1 ? -1 * reciprocalSquare(a) : b * Math.pow(a, b - 1)
      if (e === 0) num(0);
      else if (e === -1) {
        num(-1);
        get(x);
        call(RSQ);
        w.byte(F64_MUL);
      } else {
        num(e);
        get(x);
        num(e - 1);
        call(POWF);
        w.byte(F64_MUL);
      }
      return;
    }
    const rule: FnRule | undefined = inlineFunctions ? FNS[c - FN] : undefined;
    switch (rule) {
      case FUNCTIONS.exp:
        get(x);
        call(EXP_OWN);
        tee(y);
        return;
      case FUNCTIONS.log:
        get(x);
        call(LOG);
        set(y);
        num(1);
        get(x);
        w.byte(F64_DIV);
        return;
      case FUNCTIONS.sqrt:
        get(x);
        w.byte(F64_SQRT);
        set(y);
        num(0.5);
        get(y);
        w.byte(F64_DIV);
        return;
      case FUNCTIONS.sin:
        get(x);
        call(SIN);
        set(y);
        get(x);
        call(COS);
        return;
      case FUNCTIONS.cos:
        get(x);
        call(COS);
        set(y);
        get(x);
        call(SIN);
        w.byte(F64_NEG);
        return;
      case FUNCTIONS.tan:
      case FUNCTIONS.tanh:
        get(x);
        call(rule === FUNCTIONS.tan ? TAN : TANH);
        set(y);
        num(1);
        get(y);
        get(y);
        w.byte(F64_MUL, rule === FUNCTIONS.tan ? F64_ADD : F64_SUB);
        return;
      case FUNCTIONS.sigmoid:
        // 1 / (1 + exp(-x)); s · (1 - s)
        logistic(x);
        tee(y);
        num(1);
        get(y);
        w.byte(F64_SUB, F64_MUL);
        return;
      case FUNCTIONS.softplus:
        // max(x, 0) + log1p(exp(-|x|)); 1 / (1 + exp(-x))
        get(x);
        num(0);
        w.byte(F64_MAX);
        get(x);
        w.byte(F64_ABS, F64_NEG);
        call(EXP_OWN);
        call(LOG1P_OWN);
        w.byte(F64_ADD);
        set(y);
        logistic(x);
        return;
      case FUNCTIONS.relu:
        // x > 0 || x !== x ? x : 0; x > 0 ? 1 : 0
        get(x);
        num(0);
        get(x);
        num(0);
        w.byte(F64_GT);
        get(x);
        get(x);
        w.byte(F64_NE, I32_OR, SELECT);
        set(y);
        num(1);
        num(0);
        get(x);
        num(0);
        w.byte(F64_GT, SELECT);
        return;
      case FUNCTIONS.abs:
        // Math.sign(x): 1, -1, or x itself (±0, NaN)
        get(x);
        w.byte(F64_ABS);
        set(y);
        num(1);
        num(-1);
        get(x);
        get(x);
        num(0);
        w.byte(F64_LT, SELECT);
        get(x);
        num(0);
        w.byte(F64_GT, SELECT);
        return;
      default:
        get(x);
        call(GENERIC_VALUE(c - FN));
        set(y);
        get(x);
        get(y);
        call(GENERIC_DERIVATIVE(c - FN));
    }
  };
  /** The unary op c of local X into slot i: its value and its local derivative. */
  const unaryInto = (c: number, i: number): void => {
    const j = i - leaves;
    address();
    address();
    unary(c, j);
    store(D0 + 8 * j);
    get(Y());
    store(VAL + 8 * i);
  };

  const forward = (f: number): void => {
    let i = first[f];
    let c = code[f];
    if (c === ADD || c === MUL) {
      address();
      ref(a[f]);
      ref(b[f]);
      w.byte(c === ADD ? F64_ADD : F64_MUL);
      store(VAL + 8 * i);
    } else if (c === POW) {
      const j = i - leaves;
      ref(a[f]);
      set(U());
      ref(b[f]);
      set(E());
      // b === -1 ? 1 / a : Math.pow(a, b), the rule's value
      address();
      num(1);
      get(U());
      w.byte(F64_DIV);
      get(U());
      get(E());
      call(POWF);
      get(E());
      num(-1);
      w.byte(F64_EQ, SELECT);
      tee(Y());
      store(VAL + 8 * i);
      // d0: b === 0 ? 0 : b === -1 ? -1 * reciprocalSquare(a) : b * Math.pow(a, b - 1)
      address();
      num(0);
      num(-1);
      get(U());
      call(RSQ);
      w.byte(F64_MUL);
      get(E());
      get(U());
      get(E());
      num(1);
      w.byte(F64_SUB);
      call(POWF);
      w.byte(F64_MUL);
      get(E());
      num(-1);
      w.byte(F64_EQ, SELECT);
      get(E());
      num(0);
      w.byte(F64_EQ, SELECT);
      store(D0 + 8 * j);
      // d1: a === 0 ? (b >= 0 ? 0 : NaN) : y * Math.log(a), the rule table's `**` (the limit 0 where b >= 0, NaN
      // at the pole b < 0 and for a NaN exponent)
      address();
      num(0);
      num(NaN);
      get(E());
      num(0);
      w.byte(F64_GE, SELECT);
      get(Y());
      get(U());
      call(LOG);
      w.byte(F64_MUL);
      get(U());
      num(0);
      w.byte(F64_EQ, SELECT);
      store(D1 + 8 * j);
    } else if (c < SUM) {
      ref(a[f]);
      set(X());
      unaryInto(c, i);
    } else {
      const dot = c >= DOT;
      c -= dot ? DOT : SUM;
      const start = a[f];
      const terms = b[f];
      ref(args[start]);
      set(S());
      for (let t = 0; t < terms; t++) {
        if (dot) {
          address();
          ref(args[start + 1 + 2 * t]);
          ref(args[start + 2 + 2 * t]);
          w.byte(F64_MUL);
          tee(P());
          store(VAL + 8 * i++);
          address();
          get(S());
          get(P());
        } else {
          address();
          get(S());
          ref(args[start + 1 + t]);
        }
        w.byte(F64_ADD);
        tee(S());
        store(VAL + 8 * i++);
      }
      if (c !== ADD) {
        get(S());
        set(X());
        unaryInto(c, i);
      }
    }
  };

  /** `gr[s] += term` (the term pushed by `term`), nothing for a frozen leaf. */
  const send = (s: number, term: () => void): void => {
    if (isFrozen(s)) return;
    address();
    load(GRAD + 8 * s);
    term();
    w.byte(F64_ADD);
    store(GRAD + 8 * s);
  };
  const g = (): void => get(G());
  /** `ref(q) * g` */
  const times = (q: number) => (): void => {
    ref(q);
    get(G());
    w.byte(F64_MUL);
  };
  /** The condition of skipZero: g !== 0 || all, or-ed with what `more` pushes. */
  const ifLive = (more?: () => void): void => {
    get(G());
    num(0);
    w.byte(F64_NE);
    get(0);
    w.byte(I32_OR);
    if (more !== undefined) {
      more();
      w.byte(I32_OR);
    }
    w.byte(IF, 0x40);
  };
  /** Pushes `x - x !== 0` (x not finite) for the value at `push`. */
  const notFinite = (push: () => void) => (): void => {
    push();
    push();
    w.byte(F64_SUB);
    num(0);
    w.byte(F64_NE);
  };

  const backward = (f: number): void => {
    const i = first[f];
    let c = code[f];
    if (c === ADD || c === MUL || c === POW || c < SUM) {
      const ta = a[f];
      const tb = c === ADD || c === MUL || c === POW ? b[f] : -1;
      if (isFrozen(ta) && (tb < 0 || isFrozen(tb))) return;
      load(GRAD + 8 * i);
      set(G());
      const j = i - leaves;
      if (c === ADD) {
        ifLive();
        send(ta, g);
        send(tb, g);
      } else if (c === MUL) {
        ifLive(notFinite(() => load(VAL + 8 * i)));
        send(ta, times(tb));
        send(tb, times(ta));
      } else {
        load(D0 + 8 * j);
        set(U());
        if (c === POW) {
          load(D1 + 8 * j);
          set(E());
          ifLive(() => {
            notFinite(() => get(U()))();
            notFinite(() => get(E()))();
            w.byte(I32_OR);
          });
        } else {
          ifLive(notFinite(() => get(U())));
        }
        send(ta, () => {
          get(U());
          get(G());
          w.byte(F64_MUL);
        });
        if (c === POW) {
          send(tb, () => {
            get(E());
            get(G());
            w.byte(F64_MUL);
          });
        }
      }
      w.byte(END);
      return;
    }
    const dot = c >= DOT;
    c -= dot ? DOT : SUM;
    const start = a[f];
    const terms = b[f];
    const lastSum = first[f + 1] - 1 - (c !== ADD ? 1 : 0);
    if (c !== ADD) {
      // g = 0 + d0 · g: the unary op into the last sum's grad
      num(0);
      load(D0 + 8 * (lastSum + 1 - leaves));
      load(GRAD + 8 * (lastSum + 1));
      w.byte(F64_MUL, F64_ADD);
    } else {
      load(GRAD + 8 * lastSum);
    }
    set(G());
    if (dot) {
      ifLive(notFinite(() => load(VAL + 8 * lastSum)));
      for (let at = start + 2 * terms - 1; at > start + 1; at -= 2) {
        send(args[at], times(args[at + 1]));
        send(args[at + 1], times(args[at]));
      }
      send(args[start], g);
      send(args[start + 1], times(args[start + 2]));
      send(args[start + 2], times(args[start + 1]));
    } else {
      ifLive();
      for (let at = start + terms; at > start + 1; at--) send(args[at], g);
      send(args[start], g);
      send(args[start + 1], g);
    }
    w.byte(END);
  };

  // The chunks' bodies, forward ones in order, backward ones in the order they run.
  const bodies: Uint8Array[] = [expBody(SCALE, TAIL, POW2), log1pBody(LOG1P_TABLE)];
  const body = (): void => {
    const out = new Bytes();
    const code = w.done();
    const locals = new Bytes();
    locals.u32(1);
    locals.u32(7);
    locals.byte(F64);
    out.u32(locals.n + code.length + 1);
    out.bytes(locals.done());
    out.bytes(code);
    out.byte(END);
    bodies.push(out.done());
    w = new Bytes();
  };
  base = 0;
  let forwardChunks = 0;
  for (let f = 0; f < m;) {
    while (f < m && w.n < CHUNK_BYTES) forward(f++);
    if (w.n > MAX_FUNCTION_BYTES) return undefined;
    body();
    forwardChunks++;
  }
  base = 1;
  let backwardChunks = 0;
  for (let f = m - 1; f >= 0;) {
    while (f >= 0 && w.n < CHUNK_BYTES) backward(f--);
    if (w.n > MAX_FUNCTION_BYTES) return undefined;
    body();
    backwardChunks++;
  }
  // The two entry points: call every chunk in turn.
  const firstChunk = LOG1P_OWN + 1;
  for (let c = 0; c < forwardChunks; c++) call(firstChunk + c);
  const entry = (): void => {
    const out = new Bytes();
    const code = w.done();
    out.u32(code.length + 2);
    out.u32(0);
    out.bytes(code);
    out.byte(END);
    bodies.push(out.done());
    w = new Bytes();
  };
  entry();
  for (let c = 0; c < backwardChunks; c++) {
    get(0);
    call(firstChunk + forwardChunks + c);
  }
  entry();

  // The module: types, imports, functions, exports, code.
  const TYPE_VOID = 0;
  const TYPE_F1 = 1;
  const TYPE_F2 = 2;
  const TYPE_ALL = 3;
  const mod = new Bytes();
  mod.byte(0x00, 0x61, 0x73, 0x6d); // \0asm, version 1
  mod.byte(0x01, 0x00, 0x00, 0x00);
  const types = new Bytes();
  types.u32(4);
  types.byte(0x60, 0, 0);
  types.byte(0x60, 1, F64, 1);
  types.byte(F64);
  types.byte(0x60, 2, F64, F64);
  types.byte(1, F64);
  types.byte(0x60, 1, I32, 0);
  section(mod, 1, types);
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const imports = new Bytes();
  imports.u32(IMPORTS + 1);
  const importFn = (name: string, type: number): void => {
    imports.name('m');
    imports.name(name);
    imports.byte(0x00);
    imports.u32(type);
  };
  for (const name of MATH) importFn(name, name === 'pow' ? TYPE_F2 : TYPE_F1);
  for (let r = 0; r < FNS.length; r++) {
    importFn(`v${r}`, TYPE_F1);
    importFn(`d${r}`, TYPE_F2);
  }
  importFn('rsq', TYPE_F1);
  imports.name('m');
  imports.name('memory');
  imports.byte(0x02, 0x00);
  imports.u32(pages);
  section(mod, 2, imports);
  const functions = new Bytes();
  functions.u32(forwardChunks + backwardChunks + 4);
  functions.u32(TYPE_F1);
  functions.u32(TYPE_F1);
  for (let c = 0; c < forwardChunks; c++) functions.u32(TYPE_VOID);
  for (let c = 0; c < backwardChunks; c++) functions.u32(TYPE_ALL);
  functions.u32(TYPE_VOID);
  functions.u32(TYPE_ALL);
  section(mod, 3, functions);
  const exports = new Bytes();
  exports.u32(2);
  exports.name('forward');
  exports.byte(0x00);
  exports.u32(firstChunk + forwardChunks + backwardChunks);
  exports.name('backward');
  exports.byte(0x00);
  exports.u32(firstChunk + forwardChunks + backwardChunks + 1);
  section(mod, 7, exports);
  const codeSection = new Bytes();
  codeSection.u32(bodies.length);
  for (const bd of bodies) codeSection.bytes(bd);
  section(mod, 10, codeSection);
  const binary = mod.done();

  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) throw new Error('no WebAssembly here');
  const memory = new wasm.Memory({ initial: pages });
  const env: Record<string, unknown> = { memory };
  for (const name of MATH) env[name] = name === 'exp' ? exp : name === 'log1p' ? log1p : Math[name];
  FNS.forEach((rule, r) => {
    env[`v${r}`] = rule.value;
    env[`d${r}`] = rule.derivative;
  });
  env.rsq = reciprocalSquare;
  const instance = new wasm.Instance(new wasm.Module(binary), { m: env });
  tables.forEach((t, k) => new Float64Array(memory.buffer, at[k], t.length).set(t));
  const ex = instance.exports as { forward: () => void; backward: (all: number) => void };
  const views = {
    val: new Float64Array(memory.buffer, VAL, n),
    grad: new Float64Array(memory.buffer, GRAD, n),
    d0: new Float64Array(memory.buffer, D0, M),
    d1: new Float64Array(memory.buffer, D1, M),
  };
  views.val.set(val);
  const run = ex.forward;
  const back = ex.backward;
  return {
    ...views,
    forward: () => run(),
    backward: (all) => back(all ? 1 : 0),
    moduleBytes: binary.length,
  };
}

/** The writing of one of the module's own functions: its code, then its body with the locals it declares. */
class OwnFunction {
  readonly #w = new Bytes();
  /** Opcodes and their one-byte immediates. */
  op(...xs: number[]): void {
    for (const x of xs) this.#w.byte(x);
  }
  /** f64.const x. */
  num(x: number): void {
    this.#w.byte(F64_CONST);
    this.#w.f64(x);
  }
  /** i32.const x. */
  int(x: number): void {
    this.#w.byte(I32_CONST);
    this.#w.i32(x);
  }
  /** f64.load at the address on the stack plus `offset`. */
  load(offset: number): void {
    this.#w.byte(F64_LOAD, 3);
    this.#w.u32(offset);
  }
  /** local.get of each local in turn. */
  get(...locals: number[]): void {
    for (const l of locals) this.op(LOCAL_GET, l);
  }
  /** A call of function `fn`. */
  call(fn: number): void {
    this.#w.byte(CALL);
    this.#w.u32(fn);
  }
  /** The body: `f64s` f64 locals, then `i32s` i32 locals, after the parameter; the code; end. */
  body(f64s: number, i32s: number): Uint8Array {
    const code = this.#w.done();
    const out = new Bytes();
    const locals = new Bytes();
    locals.u32(2);
    locals.u32(f64s);
    locals.byte(F64);
    locals.u32(i32s);
    locals.byte(I32);
    out.u32(locals.n + code.length + 1);
    out.bytes(locals.done());
    out.bytes(code);
    out.byte(END);
    return out.done();
  }
}

/**
 * The body of the module's exp (type f64 -> f64): `EXP_METHOD`'s operations in their order, so the same bits as
 * libm's `exp`, with its tables at the given byte addresses; past ±708 and for NaN it calls the imported `exp`.
 * Locals: 0 x (the parameter), 1 kd, 2 r, 3 r², 4 s (f64); 5 k, 6 i·8 (i32).
 */
function expBody(scale: number, tail: number, pow2: number): Uint8Array {
  const M = EXP_METHOD;
  const f = new OwnFunction();
  // |x| <= fast, else (NaN too) the imported exp.
  f.op(BLOCK, 0x40, LOCAL_GET, 0);
  f.op(F64_ABS);
  f.num(M.fast);
  f.op(F64_LE, BR_IF, 0);
  f.op(LOCAL_GET, 0);
  f.call(EXP);
  f.op(RETURN, END);
  // kd = x·invLn2N + round − round; k = kd
  f.op(LOCAL_GET, 0);
  f.num(M.invLn2N);
  f.op(F64_MUL);
  f.num(M.round);
  f.op(F64_ADD);
  f.num(M.round);
  f.op(F64_SUB, LOCAL_TEE, 1, I32_TRUNC_F64_S);
  f.op(LOCAL_SET, 5);
  // r = x − kd·ln2HiN − kd·ln2LoN
  f.op(LOCAL_GET, 0, LOCAL_GET, 1);
  f.num(M.ln2HiN);
  f.op(F64_MUL, F64_SUB, LOCAL_GET, 1);
  f.num(M.ln2LoN);
  f.op(F64_MUL, F64_SUB, LOCAL_SET, 2);
  // i·8 = (k & 127) << 3; s = scale[i]
  f.op(LOCAL_GET, 5);
  f.int(127);
  f.op(I32_AND);
  f.int(3);
  f.op(I32_SHL, LOCAL_TEE, 6);
  f.load(scale);
  f.op(LOCAL_SET, 4);
  // r² = r·r
  f.op(LOCAL_GET, 2, LOCAL_GET, 2, F64_MUL);
  f.op(LOCAL_SET, 3);
  // s + s·(tail[i] + r + r²·(0.5 + r·c3) + r²·r²·(c4 + r·c5))
  f.op(LOCAL_GET, 4, LOCAL_GET, 4, LOCAL_GET, 6);
  f.load(tail);
  f.op(LOCAL_GET, 2, F64_ADD, LOCAL_GET, 3);
  f.num(0.5);
  f.op(LOCAL_GET, 2);
  f.num(M.c3);
  f.op(F64_MUL, F64_ADD, F64_MUL, F64_ADD);
  f.op(LOCAL_GET, 3, LOCAL_GET, 3, F64_MUL);
  f.num(M.c4);
  f.op(LOCAL_GET, 2);
  f.num(M.c5);
  f.op(F64_MUL, F64_ADD, F64_MUL, F64_ADD);
  f.op(F64_MUL, F64_ADD);
  // · pow2[(k >> 7) + 1022]
  f.op(LOCAL_GET, 5);
  f.int(7);
  f.op(I32_SHR_S);
  f.int(1022);
  f.op(I32_ADD);
  f.int(3);
  f.op(I32_SHL);
  f.load(pow2);
  f.op(F64_MUL);
  return f.body(4, 2);
}

/**
 * The body of the module's log1p (type f64 -> f64): `LOG1P_METHOD`'s fast path in its order, so the same bits as
 * libm's `log1p`, with its table at the given byte address; off the fast path (and for NaN) it calls the imported
 * `log1p`. Locals: 0 x (the parameter), 1 u, 2 xh, 3 m, 4 nA, 5 d, 6 r, 7 t, 8 hi, 9 r² (f64); 10 j·8 (i32).
 */
function log1pBody(table: number): Uint8Array {
  const L = LOG1P_METHOD;
  const [X, U, XH, M, NA, D, R, T, HI, R2, J] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const f = new OwnFunction();
  // low < x < high, else (NaN too) the imported log1p.
  f.op(BLOCK, 0x40);
  f.get(X);
  f.num(L.low);
  f.op(F64_GT);
  f.get(X);
  f.num(L.high);
  f.op(F64_LT, I32_AND, BR_IF, 0);
  f.get(X);
  f.call(LOG1P);
  f.op(RETURN, END);
  // u = x + offset; j·8 = (low word of u >> 16)·3·8; xh = u − offset
  f.get(X);
  f.num(L.offset);
  f.op(F64_ADD, LOCAL_TEE, U, I64_REINTERPRET_F64, I32_WRAP_I64);
  f.int(16);
  f.op(I32_SHR_S);
  f.int(24);
  f.op(I32_MUL, LOCAL_SET, J);
  f.get(U);
  f.num(L.offset);
  f.op(F64_SUB, LOCAL_SET, XH);
  // m = table[j]; nA = table[j + 1] − xh·m; d = (x − xh)·m; r = d − nA; t = table[j + 2]; hi = t + r; r² = r·r
  f.get(J);
  f.load(table);
  f.op(LOCAL_SET, M);
  f.get(J);
  f.load(table + 8);
  f.get(XH, M);
  f.op(F64_MUL, F64_SUB, LOCAL_SET, NA);
  f.get(X, XH);
  f.op(F64_SUB);
  f.get(M);
  f.op(F64_MUL, LOCAL_SET, D);
  f.get(D, NA);
  f.op(F64_SUB, LOCAL_SET, R);
  f.get(J);
  f.load(table + 16);
  f.op(LOCAL_SET, T);
  f.get(T, R);
  f.op(F64_ADD, LOCAL_SET, HI);
  f.get(R, R);
  f.op(F64_MUL, LOCAL_SET, R2);
  // hi + ((d − ((hi − t) + nA) + r²·(c0 + r·c1)) + r²·r²·(c2 + r·c3 + r²·c4))
  f.get(HI, D, HI, T);
  f.op(F64_SUB);
  f.get(NA);
  f.op(F64_ADD, F64_SUB);
  f.get(R2);
  f.num(L.c0);
  f.get(R);
  f.num(L.c1);
  f.op(F64_MUL, F64_ADD, F64_MUL, F64_ADD);
  f.get(R2, R2);
  f.op(F64_MUL);
  f.num(L.c2);
  f.get(R);
  f.num(L.c3);
  f.op(F64_MUL, F64_ADD);
  f.get(R2);
  f.num(L.c4);
  f.op(F64_MUL, F64_ADD, F64_MUL, F64_ADD, F64_ADD);
  return f.body(9, 1);
}
