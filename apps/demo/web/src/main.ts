import { numberProblem } from '@crossgrad/symbolic';

import { formatValue } from '../../src/format/numbers.js';
import type { FromChecker, ModelView, StepView, ToChecker } from './check-protocol.js';
import { preloadGraphviz, renderGraph } from './graph.js';
import { MAX_STEPS_SHOWN, seedModel } from './model.js';
import { showNumber } from './numbers.js';
import { SEED_EXPRESSION, SEED_POINT } from './seed.js';
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

/** The model shown: the check that made it and what it holds. */
let model: { id: number; view: ModelView } | undefined;
let graphToken = 0;

// ---- the checking worker: everything that grows with the expression runs there ----

let checker = newChecker();
let lastCheck = 0;
/** The check the worker is working on, if any: a newer one ends that worker rather than waiting behind it. */
let busy: number | undefined;

function newChecker(): Worker {
  const worker = new Worker(new URL('./check-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<FromChecker>) => receive(event.data);
  worker.onerror = (event) => {
    busy = undefined;
    showError(`the check failed: ${event.message}`);
  };
  return worker;
}

function send(message: ToChecker): void {
  checker.postMessage(message);
}

/** Ask for a new check; a stale one still running is abandoned with its worker. */
function requestCheck(request: { type: 'seed' } | Omit<Extract<ToChecker, { type: 'check' }>, 'id'>): number {
  const id = ++lastCheck;
  if (busy !== undefined) {
    checker.terminate();
    checker = newChecker();
  }
  busy = id;
  send({ ...request, id });
  return id;
}

function receive(m: FromChecker): void {
  if (m.type === 'model' || m.type === 'problem') {
    if (m.id === busy) busy = undefined;
    if (m.id !== lastCheck) return;
    if (m.variables !== undefined && m.point !== undefined) setVariables(m.variables, m.point);
    if (m.type === 'problem') {
      // No variables: the expression itself is wrong (it did not parse).
      ui.expression.setAttribute('aria-invalid', String(m.variables === undefined));
      showError(m.message, m.source, m.column);
      return;
    }
    ui.expression.setAttribute('aria-invalid', 'false');
    ui.error.hidden = true;
    // The seed's table is on screen already (computed here, small and fixed): the worker's copy adds nothing.
    if (model?.id !== m.id) show(m.id, m.model);
    return;
  }
  if (m.id !== model?.id) return;
  if (m.type === 'derivative') showDerivative(m);
  else showGraph(m);
}

// ---- the point: one text box per variable, named by the variable ----

function pointInputs(): Map<string, HTMLInputElement> {
  const inputs = new Map<string, HTMLInputElement>();
  for (const input of ui.point.querySelectorAll<HTMLInputElement>('input[data-variable]')) {
    inputs.set(input.dataset['variable']!, input);
  }
  return inputs;
}

/**
 * One text box per variable, keeping the text already typed for names that stay; a new name shows its value in
 * `values` (or, with `replace`, every name does).
 */
function setVariables(
  names: readonly string[],
  values: Readonly<Record<string, number>>,
  replace = false,
): void {
  const old = pointInputs();
  const same = names.length === old.size && names.every((n) => old.has(n));
  if (same && !replace) return;
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
    const typed = replace ? undefined : old.get(name)?.value;
    input.value = typed ?? String(values[name] ?? '');
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
function readPoint(): { point: Record<string, number>; bad: Record<string, string> } {
  const point: Record<string, number> = {};
  const bad: Record<string, string> = {};
  for (const [name, input] of pointInputs()) {
    const problem = numberProblem(input.value);
    input.setAttribute('aria-invalid', String(problem !== undefined));
    if (problem === undefined) point[name] = Number(input.value.trim());
    else bad[name] = problem;
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

function show(id: number, m: ModelView): void {
  model = { id, view: m };
  ui.results.classList.remove('stale');
  ui.value.textContent = `${m.output} = ${formatValue(m.value)}`;
  ui.value.dataset['value'] = String(m.value);
  ui.expanded.hidden = m.expanded === undefined;
  ui.expanded.textContent = m.expanded === undefined ? '' : `expanded: ${m.expanded}`;
  ui.expanded.title = m.expandedFull ?? '';
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
  ui.verdict.textContent = m.verdict === 'agree' ? m.reason : `${m.verdict}: ${m.reason}`;
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
  // The backward buttons stay as they are: a click before the new graph arrives is queued behind its check in the
  // worker, which then steps the new graph.
  requestDerivative();
  if (!shownOnce) {
    shownOnce = true;
    performance.mark('seed-table');
    // Graphviz's WASM is large: its worker starts after the first table, so as not to compete with it.
    preloadGraphviz();
  }
}

let shownOnce = false;

/** The derivative chosen, as TeX and (when open) step by step, from the worker. */
function requestDerivative(): void {
  if (model === undefined || ui.wrt.value === '') {
    ui.tex.replaceChildren();
    ui.stepsTree.replaceChildren();
    return;
  }
  send({ type: 'derivative', id: model.id, variable: ui.wrt.value, steps: ui.steps.open });
}

function showDerivative(d: Extract<FromChecker, { type: 'derivative' }>): void {
  if (d.variable !== ui.wrt.value) return;
  if (d.steps !== undefined) showSteps(d.steps, d.stepsCut);
  if (d.mathml === undefined) ui.tex.textContent = d.note;
  else ui.tex.innerHTML = d.mathml;
}

/** The derivation as nested lists, each step opening onto the steps it used. */
function showSteps(tree: StepView, cut: boolean): void {
  const root = document.createElement('ul');
  root.className = 'tree';
  const stack: { step: StepView; into: HTMLElement }[] = [{ step: tree, into: root }];
  while (stack.length > 0) {
    const { step, into } = stack.pop()!;
    const li = document.createElement('li');
    if (step.children.length === 0) {
      li.textContent = step.text;
    } else {
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = step.text;
      const list = document.createElement('ul');
      details.append(summary, list);
      li.append(details);
      for (let i = step.children.length - 1; i >= 0; i--) stack.push({ step: step.children[i]!, into: list });
    }
    into.append(li);
  }
  if (cut) {
    const more = document.createElement('li');
    more.textContent = `… (only the first ${MAX_STEPS_SHOWN} steps are shown)`;
    root.append(more);
  }
  ui.stepsTree.replaceChildren(root);
}

// ---- the graph and backward, one node at a time (the worker holds the graph and steps it) ----

function showGraph(g: Extract<FromChecker, { type: 'graph' }>): void {
  const drawable = g.dot !== undefined;
  ui.step.disabled = ui.all.disabled = !drawable || g.remaining === 0;
  ui.clear.disabled = !drawable;
  if (g.dot === undefined) {
    graphToken++;
    ui.graph.textContent = g.status;
    ui.status.textContent = '';
    return;
  }
  ui.status.textContent = g.status;
  void drawGraph(g.id, g.dot, g.current);
}

async function drawGraph(id: number, dot: string, current: number | undefined): Promise<void> {
  const token = ++graphToken;
  const svg = await renderGraph(id, dot, current);
  if (token === graphToken && svg !== undefined) ui.graph.replaceChildren(svg);
}

function backward(action: 'step' | 'all' | 'reset'): void {
  if (model === undefined) return;
  send({ type: 'backward', id: model.id, action });
}

// ---- updates as you type ----

let timer: ReturnType<typeof setTimeout> | undefined;

function scheduleUpdate(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(update, 80);
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

/** Send what is typed to the worker: the expression and the numbers in the point's boxes. */
function update(): void {
  timer = undefined;
  const { point, bad } = readPoint();
  requestCheck({ type: 'check', source: ui.expression.value, point, bad });
}

function showSeed(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  ui.expression.value = SEED_EXPRESSION;
  ui.expression.setAttribute('aria-invalid', 'false');
  ui.error.hidden = true;
  setVariables(Object.keys(SEED_POINT), SEED_POINT, true);
  const id = requestCheck({ type: 'seed' });
  // The seed is small and fixed: its table shows at once, without waiting for the worker to start. The worker
  // holds its graph and derivatives as for any expression.
  show(id, seedModel().view);
}

ui.expression.addEventListener('input', scheduleUpdate);
ui.seed.addEventListener('click', showSeed);
ui.wrt.addEventListener('change', requestDerivative);
ui.steps.addEventListener('toggle', () => {
  if (ui.steps.open) requestDerivative();
});
ui.step.addEventListener('click', () => backward('step'));
ui.all.addEventListener('click', () => backward('all'));
ui.clear.addEventListener('click', () => backward('reset'));

showSeed();
startTraining();
