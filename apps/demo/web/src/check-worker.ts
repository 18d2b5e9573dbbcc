import { toDot, topologicalOrder, type Value } from '@crossgrad/autograd';
import { loadParser, ParseError, sym, toTex } from '@crossgrad/symbolic';

import { BackwardStepper } from './backward-steps.js';
import type { FromChecker, ToChecker } from './check-protocol.js';
import { expressionModel, MAX_TEX, pointFor, seedModel, stepView, variablesOf, type Model } from './model.js';
import { SEED_POINT } from './seed.js';

// Everything that grows with the expression runs here, off the page's main thread: parsing, expanding,
// differentiating, comparing, printing, the derivation and the Value graph with its manual backward pass. The page
// sends what was typed and shows what comes back.

/**
 * Past this many nodes a drawing is unreadable, and inserting its SVG would hold the page's main thread too long
 * (a 360-node drawing is about 660 KB of SVG, which took the browser about half a second to parse and lay out on a
 * busy 2-core machine): the page says so instead.
 */
const MAX_DRAWN_NODES = 150;

/** The worker's global scope: the two members used here (the DOM library types `self` as a window). */
const scope = self as unknown as {
  postMessage(message: FromChecker): void;
  onmessage: ((event: MessageEvent<ToChecker>) => void) | null;
};

/** The parser (mathjs) loads after the seed's table is sent: the seed needs none. */
let parserReady: Promise<void> | undefined;

/** The newest check's model and its graph's stepper. */
let current: { id: number; model: Model; stepper: BackwardStepper | undefined } | undefined;

function post(message: FromChecker): void {
  scope.postMessage(message);
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

async function check(request: Extract<ToChecker, { type: 'check' | 'seed' }>): Promise<void> {
  const { id } = request;
  if (request.type === 'seed') {
    use(id, seedModel(), Object.keys(SEED_POINT), { ...SEED_POINT });
    parserReady ??= loadParser();
    return;
  }
  await (parserReady ??= loadParser());
  let names: readonly string[];
  try {
    names = variablesOf(request.source);
  } catch (error) {
    if (error instanceof ParseError) {
      post({ type: 'problem', id, message: firstLine(error), source: error.source, column: error.column });
    } else post({ type: 'problem', id, message: firstLine(error) });
    return;
  }
  const point = pointFor(
    names,
    Object.fromEntries(Object.entries(request.point).filter(([name]) => !(name in request.bad))),
  );
  const bad = names.filter((name) => name in request.bad);
  if (bad.length > 0) {
    const problems = bad.map((name) => `${name}: ${request.bad[name]!}`);
    post({ type: 'problem', id, message: `bad value for ${problems.join('; ')}`, variables: names, point });
    return;
  }
  let model: Model;
  try {
    model = expressionModel(request.source, point);
  } catch (error) {
    post({ type: 'problem', id, message: firstLine(error), variables: names, point });
    return;
  }
  use(id, model, names, point);
}

/** Show a model: its table, then its graph ready to step backward. */
function use(id: number, model: Model, names: readonly string[], point: Record<string, number>): void {
  const root = model.graph();
  const size = topologicalOrder(root).length;
  const stepper = size > MAX_DRAWN_NODES ? undefined : new BackwardStepper(root);
  current = { id, model, stepper };
  post({ type: 'model', id, variables: names, point, model: model.view });
  if (stepper === undefined) {
    post({
      type: 'graph',
      id,
      dot: undefined,
      current: undefined,
      status: `The graph has ${size} nodes: too many to draw (at most ${MAX_DRAWN_NODES}).`,
      remaining: 0,
    });
    return;
  }
  graph(id, stepper, `grad ${root.label || 'of the output'} = 1; ${stepper.remaining} nodes to go`);
}

function graph(id: number, stepper: BackwardStepper, status: string, node?: Value): void {
  post({
    type: 'graph',
    id,
    dot: toDot(stepper.root),
    current: node === undefined ? undefined : stepper.indexOf(node),
    status,
    remaining: stepper.remaining,
  });
}

/** TeX → MathML (Temml), loaded on first use. */
let temml:
  Promise<(tex: string, options: { displayMode: boolean; throwOnError: boolean }) => string> | undefined;

async function derivative(request: Extract<ToChecker, { type: 'derivative' }>): Promise<void> {
  if (current?.id !== request.id) return;
  const { model } = current;
  const { variable: v, id } = request;
  const output = model.view.output;
  const tex = `\\frac{\\partial ${output}}{\\partial ${toTex(sym(v))}} = ${model.tex(v)}`;
  const long = tex.length > MAX_TEX;
  const steps = request.steps ? stepView(model.steps(v), v) : undefined;
  temml ??= import('temml').then((t) => t.default.renderToString);
  const mathml = long ? undefined : (await temml)(tex, { displayMode: true, throwOnError: false });
  post({
    type: 'derivative',
    id,
    variable: v,
    mathml,
    note: long ? `d${output}/d${v} is too long to typeset (${tex.length} characters of TeX)` : '',
    steps: steps?.tree,
    stepsCut: steps?.cut ?? false,
  });
}

function backward(request: Extract<ToChecker, { type: 'backward' }>): void {
  if (current?.id !== request.id || current.stepper === undefined) return;
  const s = current.stepper;
  if (request.action === 'reset') {
    s.reset();
    graph(request.id, s, `grads cleared; ${s.remaining} nodes to go`);
    return;
  }
  const done = request.action === 'all' ? s.runAll() : s.step();
  if (done === undefined) {
    graph(request.id, s, 'backward is complete: every grad is filled');
    return;
  }
  const status =
    s.remaining === 0 ? `${done.rule}. Backward is complete.` : `${done.rule} (${s.remaining} to go)`;
  graph(request.id, s, status, done.node);
}

/** Requests run one at a time, in the order sent. */
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event: MessageEvent<ToChecker>) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      switch (request.type) {
        case 'check':
        case 'seed':
          await check(request);
          break;
        case 'derivative':
          await derivative(request);
          break;
        case 'backward':
          backward(request);
          break;
      }
    } catch (error) {
      post({ type: 'problem', id: request.id, message: firstLine(error) });
    }
  });
};
