/**
 * How long the gateway has been kept waiting by image-service (never by its own client): a timer
 * that runs only while image-service owes the next step, and gives up after `ms` of one such
 * stretch. A slow client sending a large upload is never timed; a stuck image-service always is.
 */
export class UpstreamWait {
  readonly #ms: number;
  readonly #giveUp: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #over = false;
  #expired = false;

  constructor(ms: number, giveUp: () => void) {
    this.#ms = ms;
    this.#giveUp = giveUp;
  }

  /** True once the wait ran out (and `giveUp` was called). */
  get expired(): boolean {
    return this.#expired;
  }

  /** image-service owes the next step (take the body, answer): the clock runs, from zero. */
  start(): void {
    this.pause();
    if (this.#over) return;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#over = true;
      this.#giveUp();
    }, this.#ms);
  }

  /** The gateway waits on its client now: the clock stops. */
  pause(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** image-service answered (or the request is over): the clock never runs again. */
  end(): void {
    this.#over = true;
    this.pause();
  }
}

/**
 * `body` as image-service's fetch reads it, chunk by chunk on demand: the clock stops while a
 * chunk comes from the client and runs again once image-service has been handed it (or the end).
 * After the last chunk it times exactly the wait for image-service's answer.
 */
export function watchedBody(
  body: ReadableStream<Uint8Array>,
  wait: UpstreamWait,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        wait.pause();
        const next = await reader.read();
        wait.start();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}
