import { Writable } from 'node:stream';

/**
 * A log destination that holds what is written until `release()`, then passes everything through.
 * `npm start` logs into one while it starts, so the start banner (URLs, token, curl examples) is
 * printed whole and first, and the lines logged meanwhile (listening, sandbox accounts, the first
 * requests and sync runs) follow it instead of cutting through it. Held lines are bounded.
 */
export class HeldStream extends Writable {
  private held: Buffer[] | undefined = [];
  private heldBytes = 0;
  private dropped = 0;

  constructor(
    private readonly target: NodeJS.WritableStream,
    private readonly maxHeldBytes = 4 * 1024 * 1024,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.held === undefined) {
      this.target.write(chunk);
    } else if (this.heldBytes + chunk.length <= this.maxHeldBytes) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
    } else {
      this.dropped += 1;
    }
    callback();
  }

  release(): void {
    if (this.held === undefined) return;
    const held = this.held;
    this.held = undefined;
    for (const chunk of held) this.target.write(chunk);
    if (this.dropped > 0) this.target.write(`${JSON.stringify({ level: 40, time: Date.now(), msg: `${this.dropped} log lines written during start were dropped` })}\n`);
  }
}
