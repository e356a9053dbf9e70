// A Markdown table whose top-left header cell is empty is a matrix: its first column names the
// rows (the background chapter's overlay/underlay comparison). GFM cannot say so, so each body
// row's first cell becomes <th scope="row">, and the header cells get scope="col", so screen
// readers announce both headers of a data cell (axe: td-has-header).
const text = (node) => (node.type === 'text' ? node.value : (node.children ?? []).map(text).join(''));
const childElements = (node, tag) => (node.children ?? []).filter((c) => c.type === 'element' && c.tagName === tag);

function markTable(table) {
  const head = childElements(table, 'thead')[0];
  const body = childElements(table, 'tbody')[0];
  const headRow = head && childElements(head, 'tr')[0];
  const headCells = headRow ? childElements(headRow, 'th') : [];
  if (!body || headCells.length < 2 || text(headCells[0]).trim() !== '') return;
  for (const th of headCells.slice(1)) th.properties = { ...th.properties, scope: 'col' };
  for (const tr of childElements(body, 'tr')) {
    const first = (tr.children ?? []).find((c) => c.type === 'element');
    if (first?.tagName === 'td') {
      first.tagName = 'th';
      first.properties = { ...first.properties, scope: 'row' };
    }
  }
}

function walk(node) {
  if (node.type === 'element' && node.tagName === 'table') markTable(node);
  for (const c of node.children ?? []) walk(c);
}

export function rehypeRowHeaders() {
  return (tree) => walk(tree);
}
