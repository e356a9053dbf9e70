// Expressive Code plugin: the copy button of a shell-session block copies the commands only.
//
// A checked block shows a command and its output:
//
//   ```console
//   $ ip -n node-a route
//   default via 10.186.153.254 dev biz
//   ```
//
// or with a host / namespace prompt (`node-a$ ip route`, `root@node-a:~# ip route`).
// For ```console / ```shellsession blocks (and ```sh / ```bash / ```shell blocks that contain at
// least one prompt line), the copied text is the prompt lines with the prompt stripped, plus any
// continuation lines of a command ending in a backslash. Output lines and `# comment` lines are
// never copied. A console block without any prompt line (pure output) gets no copy button.

const SESSION_LANGS = new Set(['console', 'shellsession', 'shell-session']);
const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'zsh']);

/**
 * A prompt is `$ `, or `<host>$ ` / `<host># ` / `[user@host dir]# ` with a non-empty host part.
 * A bare `# ` is a comment, not a root prompt.
 */
const PROMPT_RE = /^\s*(?:(\[[^\]\n]+\]|[\w.@:~/+-]+)?\$|(\[[^\]\n]+\]|[\w.@:~/+-]+)#)[ \t]+(\S.*)$/;

/** Commands of a shell session, prompts stripped; undefined if there is no prompt line. */
export function commandsFromSession(code) {
  const lines = code.split('\n');
  const out = [];
  let continuing = false;
  let sawPrompt = false;
  for (const line of lines) {
    if (continuing) {
      out.push(line);
      continuing = /\\\s*$/.test(line);
      continue;
    }
    const m = PROMPT_RE.exec(line);
    if (!m) continue;
    sawPrompt = true;
    const cmd = m[3].replace(/\s+$/, '');
    out.push(cmd);
    continuing = /\\$/.test(cmd);
  }
  return sawPrompt ? out.join('\n') : undefined;
}

function findCopyDiv(node) {
  if (node.type === 'element' && node.tagName === 'div') {
    const cls = node.properties?.className;
    const list = Array.isArray(cls) ? cls : typeof cls === 'string' ? cls.split(/\s+/) : [];
    if (list.includes('copy')) return node;
  }
  for (const child of node.children ?? []) {
    const found = findCopyDiv(child);
    if (found) return found;
  }
  return undefined;
}

function removeNode(root, target) {
  const children = root.children ?? [];
  const i = children.indexOf(target);
  if (i >= 0) {
    children.splice(i, 1);
    return true;
  }
  return children.some((c) => removeNode(c, target));
}

/** Indexes of the command lines (prompt lines and their continuations) of a session. */
export function commandLineIndexes(code) {
  const out = new Set();
  let continuing = false;
  code.split('\n').forEach((line, i) => {
    if (continuing) {
      out.add(i);
      continuing = /\\\s*$/.test(line);
      return;
    }
    const m = PROMPT_RE.exec(line);
    if (!m) return;
    out.add(i);
    continuing = /\\$/.test(m[3].replace(/\s+$/, ''));
  });
  return out;
}

const commandLines = new WeakMap();

function addClass(node, name) {
  const cls = node.properties?.className;
  const list = Array.isArray(cls) ? cls : typeof cls === 'string' ? cls.split(/\s+/) : [];
  node.properties = { ...node.properties, className: [...list, name] };
}

export function pluginCopyCommandsOnly() {
  return {
    name: 'netatlas: copy commands only',
    hooks: {
      // Commands and output look different (site.css): each line of a session with a prompt
      // is marked as a command (`ec-cmd`) or as output (`ec-out`).
      postprocessRenderedLine: ({ codeBlock, lineIndex, renderData }) => {
        const lang = codeBlock.language;
        if (!SESSION_LANGS.has(lang) && !SHELL_LANGS.has(lang)) return;
        let cmds = commandLines.get(codeBlock);
        if (!cmds) commandLines.set(codeBlock, (cmds = commandLineIndexes(codeBlock.code)));
        if (cmds.size === 0) return;
        addClass(renderData.lineAst, cmds.has(lineIndex) ? 'ec-cmd' : 'ec-out');
      },
      postprocessRenderedBlock: ({ codeBlock, renderData }) => {
        const lang = codeBlock.language;
        const isSession = SESSION_LANGS.has(lang);
        if (!isSession && !SHELL_LANGS.has(lang)) return;
        const commands = commandsFromSession(codeBlock.code);
        if (commands === undefined && !isSession) return; // plain script: default behaviour
        const copyDiv = findCopyDiv(renderData.blockAst);
        if (!copyDiv) return;
        if (commands === undefined || commands.trim() === '') {
          removeNode(renderData.blockAst, copyDiv);
          return;
        }
        const button = (copyDiv.children ?? []).find((c) => c.type === 'element' && c.tagName === 'button');
        if (button) button.properties.dataCode = commands.replace(/\n/g, '\u007f');
      },
    },
  };
}
