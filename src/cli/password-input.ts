import type { Readable, Writable } from 'node:stream';

/**
 * Reads a password from standard input for `--password-stdin`: everything up to end of input,
 * without one trailing newline (`\n` or `\r\n`), so `printf %s "$PW" | …` and `echo "$PW" | …`
 * both work. Passwords never come from argv, where `ps` and shell history would show them.
 *
 * @throws {Error} when the input is empty
 */
export async function readPasswordFromStdin(stdin: Readable = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new Error('no password on standard input');
  return text;
}

/**
 * Prompts for a password on a terminal without echoing it (raw mode; Backspace erases,
 * Ctrl-C and Ctrl-D abort), asking twice when `confirm` is set.
 *
 * @throws {Error} when standard input is not a terminal, on abort, or when the two entries differ
 */
export async function promptPassword(prompt: string, confirm: boolean, io: { stdin?: NodeJS.ReadStream; stderr?: Writable } = {}): Promise<string> {
  const stdin = io.stdin ?? process.stdin;
  const stderr = io.stderr ?? process.stderr;
  if (!stdin.isTTY) throw new Error('no terminal to ask for the password: pass it on standard input with --password-stdin');
  const first = await readHidden(stdin, stderr, prompt);
  if (confirm && (await readHidden(stdin, stderr, 'Again: ')) !== first) throw new Error('the two passwords differ');
  return first;
}

function readHidden(stdin: NodeJS.ReadStream, stderr: Writable, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const finish = (error?: Error) => {
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stdin.removeListener('data', onData);
      stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') return finish(new Error('aborted'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The password for a command: from stdin with `--password-stdin`, otherwise asked on the terminal. */
export function passwordInput(options: { passwordStdin?: boolean }, prompt: string): Promise<string> {
  return options.passwordStdin ? readPasswordFromStdin() : promptPassword(prompt, true);
}
