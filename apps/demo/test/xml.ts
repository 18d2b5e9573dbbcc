/**
 * A small well-formedness check for SVG output: every tag closes in order, attributes are quoted, and there is one
 * root element. Enough to catch truncated or mis-nested output without an XML parser dependency.
 *
 * @throws Error naming the first problem and its offset.
 */
export function checkWellFormed(xml: string): { root: string; elements: number } {
  const stack: string[] = [];
  let root = '';
  let elements = 0;
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>|<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<[^>]*>?/g;
  for (const match of xml.matchAll(token)) {
    const [text, , closing, name, , selfClosing] = match;
    if (text.startsWith('<!--') || text.startsWith('<?') || text.startsWith('<!DOCTYPE')) continue;
    if (name === undefined) throw new Error(`malformed tag at ${match.index}: ${text.slice(0, 40)}`);
    if (closing === '/') {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> at ${match.index} closes <${open ?? 'nothing'}>`);
      continue;
    }
    elements += 1;
    if (stack.length === 0) {
      if (root !== '') throw new Error(`second root element <${name}> at ${match.index}`);
      root = name;
    }
    if (selfClosing !== '/') stack.push(name);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (root === '') throw new Error('no root element');
  return { root, elements };
}
