// iproute2's lib/json_writer.c, for `ip -j -p`: where the commas, line breaks, indents and
// spaces go in its pretty output. Separators and line breaks are written lazily (a
// separator before the next item, a line break before a member name), which gives the odd
// shapes the real tool prints: `[ {`, `},{`, `} ]`, `[ "UP","LOWER_UP" ]`, `[ ]`.
class JsonWriter {
  private out = '';
  private depth = 0;
  private sep = '';
  private readonly pretty: boolean;

  constructor(pretty: boolean) {
    this.pretty = pretty;
  }

  /** jsonw_eor: the pending separator, then a comma is pending. */
  private eor(): void {
    this.out += this.sep;
    this.sep = ',';
  }

  /** jsonw_eol: a line break and the indent, in pretty mode. */
  private eol(): void {
    if (this.pretty) this.out += '\n' + '    '.repeat(this.depth);
  }

  private begin(c: string): void {
    this.eor();
    this.out += c;
    this.depth++;
    this.sep = '';
  }

  private end(c: string): void {
    this.depth--;
    if (this.sep) this.eol();
    this.out += c;
    this.sep = ',';
  }

  startObject(): void {
    this.begin('{');
  }

  endObject(): void {
    this.end('}');
  }

  startArray(): void {
    this.begin('[');
    if (this.pretty) this.out += ' ';
  }

  endArray(): void {
    if (this.pretty && this.sep) this.out += ' ';
    this.sep = '';
    this.end(']');
  }

  name(n: string): void {
    this.eor();
    this.eol();
    this.sep = '';
    this.out += JSON.stringify(n) + (this.pretty ? ': ' : ':');
  }

  scalar(v: string | number | boolean | null): void {
    this.eor();
    this.out += JSON.stringify(v);
  }

  value(v: unknown): void {
    if (v !== null && typeof v === 'object' && 'text' in v && v.constructor?.name === 'Fixed2') {
      // a number with a fixed number of decimals (print_float's "%.2f"), written as is
      this.eor();
      this.out += (v as { text: string }).text;
    } else if (Array.isArray(v)) {
      this.startArray();
      for (const x of v) this.value(x);
      this.endArray();
    } else if (v !== null && typeof v === 'object') {
      this.startObject();
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        this.name(k);
        this.value(x);
      }
      this.endObject();
    } else this.scalar(v as string | number | boolean | null);
  }

  /** jsonw_destroy: pretty output ends with a line break. */
  text(): string {
    return this.out + (this.pretty ? '\n' : '');
  }
}

/** The whole output of `ip -j [-p] ...`: one array of objects, as iproute2 writes it. */
export function writeJson(objs: unknown[], pretty: boolean): string {
  const w = new JsonWriter(pretty);
  w.value(objs);
  return w.text();
}
