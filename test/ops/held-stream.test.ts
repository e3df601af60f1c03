import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { HeldStream } from '../../src/observability/held-stream.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  return { stream: new Writable({ write: (c, _e, cb) => ((text += c), cb()) }), text: () => text };
}

describe('HeldStream (start logs behind the banner)', () => {
  it('holds lines until released, then passes them through in order', async () => {
    const out = sink();
    const held = new HeldStream(out.stream);
    held.write('a\n');
    held.write('b\n');
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toBe('');
    out.stream.write('BANNER\n');
    held.release();
    held.write('c\n');
    await new Promise((r) => setImmediate(r));
    expect(out.text()).toBe('BANNER\na\nb\nc\n');
  });

  it('holds a bounded amount and says how many lines it dropped', async () => {
    const out = sink();
    const held = new HeldStream(out.stream, 10);
    for (const line of ['12345\n', '67890\n', 'abcde\n']) held.write(line);
    await new Promise((r) => setImmediate(r));
    held.release();
    await new Promise((r) => setImmediate(r));
    const lines = out.text().split('\n').filter(Boolean);
    expect(lines[0]).toBe('12345');
    expect(JSON.parse(lines[1]!).msg).toBe('2 log lines written during start were dropped');
  });
});
