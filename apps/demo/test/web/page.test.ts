/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The callbacks given to page.evaluate run in the browser: they use the DOM types.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Adam, MLP, Random, makeMoons, maxMarginLoss, train } from '@crossgrad/autograd';
import { diffRules, parse, ParseError } from '@crossgrad/symbolic';
import { compareGradients } from '@crossgrad/verify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildWeb, type WebBuild } from '../../web/build/build.js';
import { serveStatic, type StaticServer } from '../../web/build/serve.js';
import { launchChromium } from './browser.js';

const RESULTS = fileURLToPath(new URL('../../../../.test-results/', import.meta.url));
const SEED_POINT = { x1: 2, x2: 0, w1: -3, w2: 1, b: 6.8813735870195432 };
const LAPTOP = { width: 1366, height: 768 };

let outdir: string;
let site: WebBuild;
let server: StaticServer;
let browser: Browser;
/** Every console error and uncaught exception of every page the tests open. */
const problems: string[] = [];

async function open(viewport = LAPTOP): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(server.url);
  await page.locator('#table tbody tr').first().waitFor();
  return page;
}

/** The table as numbers: each row's variable and its cells' exact values (`data-value`). */
async function tableOf(page: Page) {
  return page.locator('#table tbody tr').evaluateAll((rows) =>
    rows.map((tr) => {
      const cells = [...tr.querySelectorAll('td')];
      const num = (i: number) => {
        const v = cells[i]!.getAttribute('data-value');
        return v === '' || v === null ? undefined : Number(v);
      };
      return {
        variable: tr.querySelector('th')!.textContent,
        symbolic: num(0),
        autograd: num(1),
        finiteDifference: num(2),
        verdict: cells[3]!.textContent,
      };
    }),
  );
}

/**
 * Whether a number from the page matches Node's: Chromium's V8 is newer than this Node's, and the two may round
 * Math.pow or Math.log differently in the last bit, so exact equality would test the engines, not crossgrad.
 */
function near(shown: number | undefined, node: number | undefined, rel = 1e-12): boolean {
  if (shown === undefined || node === undefined) return shown === node;
  return Math.abs(shown - node) <= rel * Math.max(Math.abs(node), 1e-300);
}

/** The graph's value nodes as the SVG shows them: label, data and grad (toDot's four decimals). */
async function graphNodes(page: Page) {
  return page.locator('#graph-view g.node').evaluateAll((nodes) =>
    nodes
      .map((g) => [...g.querySelectorAll('text')].map((t) => t.textContent ?? ''))
      .filter((texts) => texts.length === 3)
      .map(([label, data, grad]) => ({ label, data, grad })),
  );
}

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'crossgrad-web-'));
  site = await buildWeb(outdir);
  server = await serveStatic(outdir);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outdir !== undefined) await rm(outdir, { recursive: true, force: true });
});

describe('the page in Chromium', () => {
  it('shows the seed neuron: value 0.7071, the expanded form and the table, all agreeing', async () => {
    const page = await open();
    await expect.poll(() => page.locator('#value').textContent()).toBe('o = 0.7071');
    expect(await page.locator('#expanded').textContent()).toContain('(exp(2 * n) - 1) / (exp(2 * n) + 1)');
    const boxes = await page
      .locator('#point input')
      .evaluateAll((inputs) =>
        inputs.map((i) => [(i as HTMLInputElement).dataset['variable'], (i as HTMLInputElement).value]),
      );
    expect(boxes).toEqual(Object.entries(SEED_POINT).map(([name, value]) => [name, String(value)]));
    const table = await tableOf(page);
    // d tanh(n)/dn = 1 - tanh(n)^2 = 1/2 at the lecture's point, and dn/dv is the other factor (or 1 for b).
    const expected: Record<string, number> = { n: 0.5, x1: -1.5, w1: 1, x2: 0.5, w2: 0, b: 0.5 };
    expect(table.map((r) => r.variable)).toEqual(Object.keys(expected));
    for (const row of table) {
      const want = expected[row.variable!]!;
      expect(row.symbolic).toBeCloseTo(want, 12);
      expect(row.autograd).toBeCloseTo(want, 12);
      expect(row.finiteDifference).toBeCloseTo(want, 6);
      expect(row.verdict).toBe('✓ agree');
    }
    // The same numbers as verify's compareGradients on the neuron's formula, as the CLI computes them.
    const check = compareGradients('tanh(x1*w1 + x2*w2 + b)', SEED_POINT, { mathjs: false });
    for (const r of check.rows) {
      const shown = table.find((row) => row.variable === r.variable)!;
      expect(shown.symbolic).toBeCloseTo(r.symbolic, 14);
      expect(shown.autograd).toBeCloseTo(r.autograd, 14);
    }

    // Figures, not assertions: printed for the README.
    const seedTable = await page.evaluate(() => performance.getEntriesByName('seed-table')[0]?.startTime);
    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(
      `web figures: seed table ${seedTable?.toFixed(0)} ms after navigation; JavaScript gzipped ` +
        `${kib(site.initialGzip)} before the table, ${kib(site.totalGzip)} in all`,
    );
    await page.close();
  });

  it('draws the Value graph with data and grad in every node, and fits a laptop screen unscrolled', async () => {
    const page = await open();
    await page.locator('#graph-view svg').waitFor();
    await page.locator('#tex math').waitFor();
    const nodes = await graphNodes(page);
    expect(nodes.map((n) => n.label).sort()).toEqual(
      ['b', 'n', 'o', 'w1', 'w2', 'x1', 'x1*w1', 'x1*w1 + x2*w2', 'x2', 'x2*w2'].sort(),
    );
    expect(nodes.find((n) => n.label === 'o')).toEqual({
      label: 'o',
      data: 'data 0.7071',
      grad: 'grad 1.0000',
    });
    const overflow = await page.evaluate(() => ({
      height: document.documentElement.scrollHeight - window.innerHeight,
      width: document.documentElement.scrollWidth - window.innerWidth,
    }));
    expect(overflow).toEqual({ height: 0, width: 0 });
    await mkdir(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, 'web-seed.png') });
    await page.close();
  });

  it('steps backward one node at a time, naming each rule, and ends with the grads of backward()', async () => {
    const page = await open();
    await page.locator('#graph-view svg').waitFor();
    const step = page.getByRole('button', { name: 'Backward one node' });
    await step.click();
    await expect.poll(() => page.locator('#backward-status').textContent()).toContain('tanh: 1 - t²');
    await expect
      .poll(async () => (await graphNodes(page)).find((n) => n.label === 'n')?.grad)
      .toBe('grad 0.5000');
    // x1 has not received its grad yet: the products come later in reverse topological order.
    expect((await graphNodes(page)).find((n) => n.label === 'x1')?.grad).toBe('grad 0.0000');
    await step.click();
    await expect
      .poll(() => page.locator('#backward-status').textContent())
      .toContain('+ passes the grad through');
    // The grad belongs to the whole sum, not to w2: its label is put in parentheses.
    expect(await page.locator('#backward-status').textContent()).toContain(
      '(x1*w1 + x2*w2).grad += 1 × 0.5, b.grad += 1 × 0.5',
    );

    await page.getByRole('button', { name: 'Backward all' }).click();
    await expect.poll(() => page.locator('#backward-status').textContent()).toContain('Backward is complete');
    await expect
      .poll(async () => (await graphNodes(page)).find((n) => n.label === 'x1')?.grad)
      .toBe('grad -1.5000');
    const grads = Object.fromEntries((await graphNodes(page)).map((n) => [n.label, n.grad]));
    const table = await tableOf(page);
    for (const row of table) expect(grads[row.variable!]).toBe(`grad ${row.autograd!.toFixed(4)}`);
    expect(await step.isDisabled()).toBe(true);
    await page.close();
  });

  it('judges an expression of your own at your point with the values compareGradients gives', async () => {
    const page = await open();
    const source = 'x^2 * sin(y) + exp(x*y) / y';
    await page.getByRole('textbox', { name: 'Expression' }).fill(source);
    // At the starting point x = 0.5, y = 1.5: the value to four decimals as the CLI prints it (1.66070709...), and
    // no expanded line, as there is no tanh to write out.
    await expect.poll(() => page.locator('#value').textContent()).toBe('f = 1.6607');
    expect(await page.locator('#expanded').isHidden()).toBe(true);
    expect(await page.locator('#verdict').textContent()).toBe(
      'symbolic, autograd and finite differences agree on all 2 derivatives',
    );
    await page.getByRole('textbox', { name: 'x', exact: true }).fill('0.7');
    await page.getByRole('textbox', { name: 'y', exact: true }).fill('-1.3');
    await expect.poll(() => page.locator('#value').textContent()).toBe('f = -0.7818');
    await expect.poll(async () => (await tableOf(page)).map((r) => r.variable)).toEqual(['x', 'y']);
    const point = { x: 0.7, y: -1.3 };
    const report = compareGradients(parse(source), point, { mathjs: false, rules: diffRules });
    await expect
      .poll(async () => near(Number(await page.locator('#value').getAttribute('data-value')), report.value))
      .toBe(true);
    const table = await tableOf(page);
    expect(table.map((r) => [r.variable, r.verdict])).toEqual(
      report.rows.map((r) => [r.variable, r.verdict === 'agree' ? '✓ agree' : r.verdict]),
    );
    // The same numbers as compareGradients in Node; finite differences difference the function's values, so the
    // last digits the engines round differently are amplified: within 1e-9, far inside their own error bound.
    report.rows.forEach((r, i) => {
      expect(near(table[i]!.symbolic, r.symbolic), `symbolic ${r.variable}`).toBe(true);
      expect(near(table[i]!.autograd, r.autograd), `autograd ${r.variable}`).toBe(true);
      expect(
        near(table[i]!.finiteDifference, r.finiteDifference, 1e-9),
        `finite difference ${r.variable}`,
      ).toBe(true);
    });
    // The derivative in TeX quality (MathML) and the derivation, opened step by step.
    await page.getByLabel('Derivative with respect to').selectOption('y');
    await expect.poll(() => page.locator('#tex math').count()).toBe(1);
    await page.getByText('Derivation, step by step').click();
    const first = page.locator('#steps-tree > ul > li > details > summary').first();
    await expect.poll(() => first.textContent()).toMatch(/^sum rule: d\/dy /);
    await page.close();
  });

  it("every function: the table matches compareGradients and stepping backward gives autograd's grads", async () => {
    const page = await open();
    const source =
      'exp(x) + log(x) + sqrt(x) + sin(x) + cos(x) + tan(x) + tanh(x) + sigmoid(x) + softplus(x) + relu(x) + abs(x) + x^3 + x^y' +
      ' + asin(x) + acos(x) + atan(x) + sinh(x) + cosh(x) + asinh(x) + acosh(y) + atanh(x)' +
      ' + atan2(y, x) + min(x, y) + max(x, y)';
    await page.getByRole('textbox', { name: 'Expression' }).fill(source);
    await page.getByRole('textbox', { name: 'x', exact: true }).fill('0.7');
    await page.getByRole('textbox', { name: 'y', exact: true }).fill('1.3');
    const report = compareGradients(parse(source), { x: 0.7, y: 1.3 }, { mathjs: false, rules: diffRules });
    await expect
      .poll(async () => near(Number(await page.locator('#value').getAttribute('data-value')), report.value))
      .toBe(true);
    const table = await tableOf(page);
    expect(table.map((r) => [r.variable, r.verdict])).toEqual(
      report.rows.map((r) => [r.variable, '✓ agree']),
    );
    report.rows.forEach((r, i) => {
      expect(near(table[i]!.symbolic, r.symbolic), `symbolic ${r.variable}`).toBe(true);
      expect(near(table[i]!.autograd, r.autograd), `autograd ${r.variable}`).toBe(true);
    });
    await page.getByRole('button', { name: 'Backward all' }).click();
    await expect.poll(() => page.locator('#backward-status').textContent()).toContain('Backward is complete');
    await expect
      .poll(async () =>
        (await graphNodes(page)).filter((n) => n.label === 'x' || n.label === 'y').map((n) => n.grad),
      )
      .toEqual(expect.arrayContaining(report.rows.map((r) => `grad ${r.autograd.toFixed(4)}`)));
    expect(await page.locator('#backward-status').textContent()).not.toContain('no rule for');
    await page.close();
  });

  it('keeps the main thread free while it checks tanh nested 30 deep, and shows the right values', async () => {
    const page = await open();
    await page.locator('#graph-view svg').waitFor();
    await page.locator('#tex math').waitFor();
    // Every long task (main thread busy over 50 ms) from here on; buffered, so none is missed.
    const start = await page.evaluate(() => {
      const w = window as unknown as { longTasks: { start: number; duration: number }[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
      return performance.now();
    });
    const source = `${'tanh('.repeat(30)}x${')'.repeat(30)}`;
    await page.getByRole('textbox', { name: 'Expression' }).fill(source);
    const report = compareGradients(parse(source), { x: 0.5 }, { mathjs: false, rules: diffRules });
    expect(report.verdict).toBe('agree');
    await expect
      .poll(async () => (await tableOf(page)).map((r) => r.variable), { timeout: 60_000 })
      .toEqual(['x']);
    await expect
      .poll(async () => near(Number(await page.locator('#value').getAttribute('data-value')), report.value), {
        timeout: 60_000,
      })
      .toBe(true);
    const [row] = await tableOf(page);
    expect(near(row!.symbolic, report.rows[0]!.symbolic), 'symbolic').toBe(true);
    expect(near(row!.autograd, report.rows[0]!.autograd), 'autograd').toBe(true);
    expect(row!.verdict).toBe('✓ agree');
    expect(await page.locator('#verdict').textContent()).toBe(
      'symbolic, autograd and finite differences agree on the derivative',
    );
    // The expansion of 30 nested tanh is far too large for one line: a note of its size, as the CLI prints.
    await expect.poll(() => page.locator('#expanded').textContent()).toMatch(/too large to print\)$/);
    expect(await page.getByRole('alert').isHidden()).toBe(true);
    await expect.poll(() => page.locator('#tex').textContent()).toMatch(/too long to typeset/);
    await expect.poll(() => page.locator('#graph-view g.node').count()).toBeGreaterThan(30);
    // 40 deep, as the CLI checks it.
    const deeper = `${'tanh('.repeat(40)}x${')'.repeat(40)}`;
    const deep = compareGradients(parse(deeper), { x: 0.5 }, { mathjs: false, rules: diffRules });
    await page.getByRole('textbox', { name: 'Expression' }).fill(deeper);
    await expect
      .poll(async () => near((await tableOf(page))[0]?.symbolic, deep.rows[0]!.symbolic), { timeout: 60_000 })
      .toBe(true);
    expect(near((await tableOf(page))[0]?.autograd, deep.rows[0]!.autograd)).toBe(true);
    expect(await page.locator('#value').textContent()).toBe('f = 0.18');
    const longTasks = await page.evaluate(
      (t0) =>
        (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
          (t) => t.start >= t0,
        ),
      start,
    );
    await mkdir(RESULTS, { recursive: true });
    await page.screenshot({ path: join(RESULTS, 'web-tanh-40.png') });
    console.log(`tanh nested 30 deep: long tasks after typing ${JSON.stringify(longTasks)}`);
    expect(longTasks.filter((t) => t.duration > 200)).toEqual([]);
    await page.close();
  }, 150_000);

  it('shows the newest input: a slow result that arrives late never replaces the table of what was typed after', async () => {
    const page = await open();
    const box = page.getByRole('textbox', { name: 'Expression' });
    await box.fill(`${'tanh('.repeat(40)}x${')'.repeat(40)}`);
    // Past the typing pause, so that the deep expression is being checked when the next one is typed.
    await page.waitForTimeout(150);
    await box.fill('x^3');
    await expect
      .poll(async () => (await tableOf(page)).map((r) => [r.variable, r.symbolic]), { timeout: 60_000 })
      .toEqual([['x', 0.75]]);
    await page.waitForTimeout(1500);
    expect((await tableOf(page)).map((r) => [r.variable, r.symbolic])).toEqual([['x', 0.75]]);
    expect(await page.locator('#value').textContent()).toBe('f = 0.125');
    await page.close();
  }, 150_000);

  it('shows a parse error with its column and a caret under the source, without a stack trace', async () => {
    const page = await open();
    const source = 'x * (y + ) 2';
    await page.getByRole('textbox', { name: 'Expression' }).fill(source);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    let column = 0;
    try {
      parse(source);
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      column = (error as ParseError).column;
    }
    expect(column).toBeGreaterThan(0);
    expect(await alert.locator('p').textContent()).toContain(`(column ${column})`);
    expect(await alert.locator('pre').textContent()).toBe(`${source}\n${' '.repeat(column - 1)}^`);
    expect(await alert.textContent()).not.toMatch(/\bat .*\.js|Error:/);
    expect(await page.getByRole('textbox', { name: 'Expression' }).getAttribute('aria-invalid')).toBe('true');
    // The results still shown are the last good expression's, faded until the input parses again.
    expect(await page.locator('#results').getAttribute('class')).toBe('stale');
    await page.getByRole('textbox', { name: 'Expression' }).fill('x * (y + 1) * 2');
    await expect.poll(() => alert.isHidden()).toBe(true);
    expect(await page.locator('#results').getAttribute('class')).toBe('');
    await page.close();
  });

  it('reads names and numbers as the CLI does: θ is a variable, π the constant pi, 0x10 refused with a hint', async () => {
    const page = await open();
    const expression = page.getByRole('textbox', { name: 'Expression' });
    await expression.fill('π*θ');
    const theta = page.getByRole('textbox', { name: 'θ', exact: true });
    await theta.fill('2');
    await expect
      .poll(async () => (await tableOf(page)).map((r) => [r.variable, r.symbolic]))
      .toEqual([['θ', Math.PI]]);
    expect(await page.getByRole('textbox', { name: 'π', exact: true }).count()).toBe(0);
    await theta.fill('0x10');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('p').textContent()).toBe(
      "bad value for θ: '0x10' is hexadecimal: write it in decimal, 16",
    );
    expect(await theta.getAttribute('aria-invalid')).toBe('true');
    await theta.fill('1.5e0');
    await expect.poll(() => alert.isHidden()).toBe(true);
    await expect.poll(async () => (await tableOf(page))[0]?.symbolic).toBe(Math.PI);
    await page.close();
  });

  it('trains the moons MLP in a worker to 100% accuracy, with the loss curve and steps per second', async () => {
    const page = await open();
    const trainButton = page.getByRole('button', { name: 'Train' });
    const stopButton = page.getByRole('button', { name: 'Stop' });
    const stepsDone = async () => Number((await page.locator('#train-step').textContent())?.split(' / ')[0]);
    // Stop right away: the worker yields after every step, so it halts long before the 100th.
    await trainButton.click();
    await stopButton.click();
    await expect.poll(() => trainButton.isEnabled()).toBe(true);
    expect(await stopButton.isDisabled()).toBe(true);
    expect(await stepsDone()).toBeLessThan(100);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(stepsDone).toBe(0);

    await trainButton.click();
    // The page stays responsive while the worker trains: typing still updates the table.
    await page.getByRole('textbox', { name: 'Expression' }).fill('x^3');
    await expect.poll(async () => (await tableOf(page)).map((r) => r.variable)).toEqual(['x']);
    await expect
      .poll(() => page.locator('#train-step').textContent(), { timeout: 100_000 })
      .toBe('100 / 100');
    expect(await page.getByRole('status', { name: 'accuracy' }).textContent()).toBe('100%');
    expect(Number(await page.locator('#steps-per-second').textContent())).toBeGreaterThan(0);
    const lossDrawn = await page.locator('#loss').evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let blue = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 2]! > 150 && data[i]! < 80) blue++;
      return blue;
    });
    expect(lossDrawn).toBeGreaterThan(50);
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => page.locator('#train-step').textContent()).toBe('0 / 100');
    await page.close();
  }, 150_000);

  it('trains with Adam when chosen: the choice starts over, and Adam reaches 100% in the same 100 steps', async () => {
    const page = await open();
    const trainButton = page.getByRole('button', { name: 'Train' });
    const stepsDone = async () => Number((await page.locator('#train-step').textContent())?.split(' / ')[0]);
    await trainButton.click();
    await expect.poll(stepsDone).toBeGreaterThan(0);
    // Choosing an optimizer stops the run and resets the model to step 0.
    await page.getByRole('combobox', { name: 'Optimizer' }).selectOption('adam');
    await expect.poll(() => page.locator('#train-step').textContent()).toBe('0 / 100');
    await expect.poll(() => trainButton.isEnabled()).toBe(true);
    await trainButton.click();
    await expect
      .poll(() => page.locator('#train-step').textContent(), { timeout: 100_000 })
      .toBe('100 / 100');
    expect(await page.getByRole('status', { name: 'accuracy' }).textContent()).toBe('100%');
    // The final loss is the one autograd's Adam gives in Node (micrograd's schedule ends elsewhere).
    const finalLoss = (optimizer?: 'adam') => {
      const model = new MLP(2, [16, 16, 1], { random: new Random(1337) });
      const data = makeMoons(100, { noise: 0.1, seed: 1337 });
      const options = optimizer === 'adam' ? { optimizer: new Adam(model, { lr: 0.03 }) } : {};
      train(model, data, { steps: 100, compile: true, ...options });
      return maxMarginLoss(model, data).loss.data.toFixed(4);
    };
    expect(finalLoss('adam')).not.toBe(finalLoss());
    expect(await page.locator('#train-loss').textContent()).toBe(finalLoss('adam'));
    await page.close();
  }, 150_000);

  it('every control has a label, works from the keyboard, and the page reflows at 200% zoom', async () => {
    const page = await open();
    const unlabelled = await page.locator('input, select, button, output').evaluateAll((els) =>
      els
        .filter((el) => {
          const labels = (el as HTMLInputElement).labels;
          const named =
            (labels !== null && labels.length > 0) ||
            el.getAttribute('aria-label') !== null ||
            el.getAttribute('aria-labelledby') !== null ||
            (el.tagName === 'BUTTON' && (el.textContent ?? '').trim() !== '');
          return !named;
        })
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    // From the expression box, Tab reaches the seed button, then the variables; Enter on a button activates it.
    await page.getByRole('textbox', { name: 'Expression' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('seed');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-variable'))).toBe('x1');
    await page.getByRole('button', { name: 'Backward all' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#backward-status').textContent()).toContain('Backward is complete');
    await page.close();

    // 200% zoom on a 1366×768 screen is a 683×384 CSS-pixel viewport: no sideways scrolling.
    const zoomed = await open({ width: 683, height: 384 });
    await zoomed.locator('#graph-view svg').waitFor();
    const sideways = await zoomed.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways).toBe(0);
    await zoomed.close();
  });

  it('logged no console error or uncaught exception on any page', () => {
    expect(problems).toEqual([]);
  });
});
