import { topologicalOrder, type Value } from '@crossgrad/autograd';
import {
  format,
  loadParser,
  numberProblem,
  ParseError,
  sym,
  toTex,
  type DiffStep,
} from '@crossgrad/symbolic';

import { BackwardStepper } from './backward-steps.js';
import { MAX_DRAWN_NODES, preloadGraphviz, renderGraph } from './graph.js';
import { expressionModel, SEED_EXPRESSION, SEED_POINT, seedModel, variablesOf, type Model } from './model.js';
import { showNumber } from './numbers.js';
import { startTraining } from './train-view.js';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

const ui = {
  expression: byId<HTMLInputElement>('expression'),
  seed: byId<HTMLButtonElement>('seed'),
  point: byId<HTMLFieldSetElement>('point'),
  error: byId<HTMLDivElement>('parse-error'),
  results: byId<HTMLDivElement>('results'),
  value: byId<HTMLParagraphElement>('value'),
  expanded: byId<HTMLParagraphElement>('expanded'),
  rows: byId<HTMLTableElement>('table').tBodies[0]!,
  verdict: byId<HTMLParagraphElement>('verdict'),
  wrt: byId<HTMLSelectElement>('wrt'),
  tex: byId<HTMLDivElement>('tex'),
  steps: byId<HTMLDetailsElement>('steps'),
  stepsTree: byId<HTMLDivElement>('steps-tree'),
  step: byId<HTMLButtonElement>('backward-step'),
  all: byId<HTMLButtonElement>('backward-all'),
  clear: byId<HTMLButtonElement>('backward-reset'),
  status: byId<HTMLParagraphElement>('backward-status'),
  graph: byId<HTMLDivElement>('graph-view'),
};

let model: Model | undefined;
let stepper: BackwardStepper | undefined;
let graphToken = 0;

// ---- the point: one text box per variable, named by the variable ----

function pointInputs(): Map<string, HTMLInputElement> {
  const inputs = new Map<string, HTMLInputElement>();
  for (const input of ui.point.querySelectorAll<HTMLInputElement>('input[data-variable]')) {
    inputs.set(input.dataset['variable']!, input);
  }
  return inputs;
}

/** Values for new variables: distinct, so that `x - y` or `relu(x - y)` does not start at a kink. */
const STARTING_VALUES = [0.5, 1.5, -0.8, 2, 0.3, -1.2, 0.9, 2.5];

/** One text box per variable, keeping the values already typed for names that stay. */
function setVariables(names: readonly string[], values: Readonly<Record<string, number>> = {}): void {
  const old = pointInputs();
  const same = names.length === old.size && names.every((n) => old.has(n));
  if (same && Object.keys(values).length === 0) return;
  ui.point.querySelectorAll('.variable').forEach((el) => el.remove());
  names.forEach((name, i) => {
    const wrap = document.createElement('span');
    wrap.className = 'variable';
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.id = `var-${i}`;
    label.htmlFor = input.id;
    label.textContent = name;
    input.type = 'text';
    input.inputMode = 'decimal';
    input.spellcheck = false;
    input.autocomplete = 'off';
    input.dataset['variable'] = name;
    input.value = String(values[name] ?? old.get(name)?.value ?? STARTING_VALUES[i % STARTING_VALUES.length]);
    input.size = Math.max(4, Math.min(18, input.value.length + 1));
    input.addEventListener('input', scheduleUpdate);
    wrap.append(label, input);
    ui.point.append(wrap);
  });
}

/**
 * The point as typed, or what is wrong with the boxes that hold no number. Numbers are read by symbolic's grammar,
 * the parser's and the CLI's `--at`: decimal, so `0x10` is refused with a hint, not read as 16.
 */
function readPoint(): { point: Record<string, number>; bad: string[] } {
  const point: Record<string, number> = {};
  const bad: string[] = [];
  for (const [name, input] of pointInputs()) {
    const problem = numberProblem(input.value);
    input.setAttribute('aria-invalid', String(problem !== undefined));
    if (problem === undefined) point[name] = Number(input.value.trim());
    else bad.push(`${name}: ${problem}`);
  }
  return { point, bad };
}

// ---- showing a model ----

function cell(row: HTMLTableRowElement, x: number | undefined, className = 'num'): void {
  const td = row.insertCell();
  td.className = className;
  td.textContent = showNumber(x);
  td.dataset['value'] = x === undefined ? '' : String(x);
}

function show(m: Model): void {
  model = m;
  ui.results.classList.remove('stale');
  ui.value.textContent = `${m.output} = ${showNumber(m.value, 4)}`;
  ui.value.dataset['value'] = String(m.value);
  ui.expanded.textContent = `expanded: ${m.expanded}`;
  ui.expanded.title = m.expanded;
  ui.rows.replaceChildren();
  for (const r of m.rows) {
    const tr = ui.rows.insertRow();
    tr.dataset['variable'] = r.variable;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = r.variable;
    tr.append(th);
    cell(tr, r.symbolic);
    cell(tr, r.autograd);
    cell(tr, r.finiteDifference);
    const verdict = tr.insertCell();
    verdict.className = `verdict-cell ${r.verdict}`;
    verdict.textContent =
      r.verdict === 'agree' ? '✓ agree' : r.verdict === 'disagree' ? '✗ disagree' : r.verdict;
    if (r.reason !== '') verdict.title = r.reason;
  }
  ui.verdict.className = `verdict ${m.verdict}`;
  ui.verdict.textContent =
    m.verdict === 'agree'
      ? `symbolic, autograd and finite differences agree on all ${m.rows.length} derivatives`
      : `${m.verdict}: ${m.reason}`;
  const chosen = ui.wrt.value;
  ui.wrt.replaceChildren(
    ...m.rows.map((r) => {
      const option = document.createElement('option');
      option.value = option.textContent = r.variable;
      return option;
    }),
  );
  const keep =
    m.rows.find((r) => r.variable === chosen) ?? m.rows.find((r) => r.variable !== 'n') ?? m.rows[0];
  if (keep !== undefined) ui.wrt.value = keep.variable;
  showDerivative();
  newGraph(m.graph());
}

/** TeX → MathML (Temml), loaded on first use. */
let temml:
  Promise<(tex: string, options: { displayMode: boolean; throwOnError: boolean }) => string> | undefined;

async function showDerivative(): Promise<void> {
  const m = model;
  const v = ui.wrt.value;
  if (m === undefined || v === '') {
    ui.tex.replaceChildren();
    return;
  }
  if (ui.steps.open) showSteps();
  const tex = `\\frac{\\partial ${m.output}}{\\partial ${toTex(sym(v))}} = ${m.tex(v)}`;
  if (tex.length > 4000) {
    ui.tex.textContent = `d${m.output}/d${v} is too long to typeset (${tex.length} characters of TeX)`;
    return;
  }
  temml ??= import('temml').then((t) => t.default.renderToString);
  const renderToString = await temml;
  if (model !== m || ui.wrt.value !== v) return;
  ui.tex.innerHTML = renderToString(tex, { displayMode: true, throwOnError: false });
}

const MAX_STEPS_SHOWN = 300;

/** explainDiff's steps as nested lists, each step opening onto the steps it used. */
function showSteps(): void {
  const m = model;
  if (m === undefined || ui.wrt.value === '') return;
  const root = document.createElement('ul');
  root.className = 'tree';
  let shown = 0;
  const stack: { step: DiffStep; into: HTMLElement }[] = [{ step: m.steps(ui.wrt.value), into: root }];
  while (stack.length > 0 && shown < MAX_STEPS_SHOWN) {
    const { step, into } = stack.pop()!;
    shown++;
    const li = document.createElement('li');
    const text = `${step.rule}: d/d${ui.wrt.value} ${clip(format(step.expr))} = ${clip(format(step.derivative))}`;
    if (step.children.length === 0) {
      li.textContent = text;
    } else {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = text;
      const list = document.createElement('ul');
      details.append(summary, list);
      li.append(details);
      for (let i = step.children.length - 1; i >= 0; i--) stack.push({ step: step.children[i]!, into: list });
    }
    into.append(li);
  }
  if (stack.length > 0) {
    const more = document.createElement('li');
    more.textContent = `… (only the first ${MAX_STEPS_SHOWN} steps are shown)`;
    root.append(more);
  }
  ui.stepsTree.replaceChildren(root);
}

function clip(text: string): string {
  return text.length > 90 ? `${text.slice(0, 87)}…` : text;
}

// ---- the graph and backward, one node at a time ----

function newGraph(root: Value): void {
  const size = topologicalOrder(root).length;
  if (size > MAX_DRAWN_NODES) {
    stepper = undefined;
    graphToken++;
    ui.graph.textContent = `The graph has ${size} nodes: too many to draw (at most ${MAX_DRAWN_NODES}).`;
    ui.status.textContent = '';
    for (const b of [ui.step, ui.all, ui.clear]) b.disabled = true;
    return;
  }
  stepper = new BackwardStepper(root);
  for (const b of [ui.step, ui.all, ui.clear]) b.disabled = false;
  ui.status.textContent = `grad ${root.label || 'of the output'} = 1; ${stepper.remaining} nodes to go`;
  void drawGraph(undefined);
}

async function drawGraph(current: number | undefined): Promise<void> {
  const s = stepper;
  if (s === undefined) return;
  const token = ++graphToken;
  const svg = await renderGraph(s.root, current);
  if (token === graphToken) ui.graph.replaceChildren(svg);
}

function backwardStep(all: boolean): void {
  const s = stepper;
  if (s === undefined) return;
  const done = all ? s.runAll() : s.step();
  if (done === undefined) {
    ui.status.textContent = 'backward is complete: every grad is filled';
    return;
  }
  ui.status.textContent =
    s.remaining === 0 ? `${done.rule}. Backward is complete.` : `${done.rule} (${s.remaining} to go)`;
  ui.step.disabled = s.remaining === 0;
  ui.all.disabled = s.remaining === 0;
  void drawGraph(s.indexOf(done.node));
}

// ---- updates as you type ----

let timer: ReturnType<typeof setTimeout> | undefined;
const parserReady = loadParser();

function scheduleUpdate(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => void update(), 80);
}

/** The results below belong to the last expression that worked: shown faded while the input has a problem. */
function showError(message: string, source?: string, column?: number): void {
  ui.results.classList.add('stale');
  ui.error.hidden = false;
  ui.error.replaceChildren();
  const text = document.createElement('p');
  text.textContent = message;
  ui.error.append(text);
  if (source !== undefined && column !== undefined) {
    const pre = document.createElement('pre');
    pre.className = 'caret';
    pre.textContent = `${source}\n${' '.repeat(Math.max(0, column - 1))}^`;
    ui.error.append(pre);
  }
}

async function update(): Promise<void> {
  timer = undefined;
  await parserReady;
  const source = ui.expression.value;
  try {
    setVariables(variablesOf(source));
  } catch (error) {
    ui.expression.setAttribute('aria-invalid', 'true');
    if (error instanceof ParseError) showError(error.message.split('\n')[0]!, error.source, error.column);
    else showError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
    return;
  }
  ui.expression.setAttribute('aria-invalid', 'false');
  const { point, bad } = readPoint();
  if (bad.length > 0) {
    showError(`bad value for ${bad.join('; ')}`);
    return;
  }
  ui.error.hidden = true;
  try {
    show(expressionModel(source, point));
  } catch (error) {
    showError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
}

function showSeed(): void {
  ui.expression.value = SEED_EXPRESSION;
  ui.expression.setAttribute('aria-invalid', 'false');
  ui.error.hidden = true;
  setVariables(Object.keys(SEED_POINT), SEED_POINT);
  show(seedModel());
}

ui.expression.addEventListener('input', scheduleUpdate);
ui.seed.addEventListener('click', showSeed);
ui.wrt.addEventListener('change', () => void showDerivative());
ui.steps.addEventListener('toggle', () => {
  if (ui.steps.open) showSteps();
});
ui.step.addEventListener('click', () => backwardStep(false));
ui.all.addEventListener('click', () => backwardStep(true));
ui.clear.addEventListener('click', () => {
  if (stepper === undefined) return;
  stepper.reset();
  ui.step.disabled = ui.all.disabled = false;
  ui.status.textContent = `grads cleared; ${stepper.remaining} nodes to go`;
  void drawGraph(undefined);
});

preloadGraphviz();
showSeed();
performance.mark('seed-table');
startTraining();
