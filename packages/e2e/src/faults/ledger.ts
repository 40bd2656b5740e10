// The ground truth of a fault scenario: every write sent through the public API and what the API
// answered. An acknowledged write (2xx) must be there after the settle; a failed one may or may not.

export type WriteKind = "follow" | "like" | "comment" | "upload";

export interface WriteRecord {
  kind: WriteKind;
  /** Username of the person who wrote. */
  actor: string;
  /** A username (follow) or an image id (like, comment). Empty for an upload. */
  target: string;
  /** The id the API gave the new thing (comment, upload), when acknowledged. */
  id: string | undefined;
  /** HTTP status; 0 when no answer came (connection refused or reset, client timeout). */
  status: number;
  ms: number;
}

const acknowledgedStatus: Record<WriteKind, number> = { follow: 204, like: 204, comment: 201, upload: 201 };

export class Ledger {
  readonly writes: WriteRecord[] = [];

  record(write: WriteRecord): void {
    this.writes.push(write);
  }

  acknowledged(kind?: WriteKind): WriteRecord[] {
    return this.writes.filter(
      (write) =>
        (kind === undefined || write.kind === kind) && write.status === acknowledgedStatus[write.kind],
    );
  }

  failed(): WriteRecord[] {
    return this.writes.filter((write) => write.status !== acknowledgedStatus[write.kind]);
  }

  /** Failed writes as "kind status × count", e.g. "like 503 ×4". */
  failures(): string[] {
    const counts = new Map<string, number>();
    for (const write of this.failed()) {
      const key = `${write.kind} ${write.status === 0 ? "no answer" : write.status}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()].map(([key, count]) => `${key} ×${count}`);
  }
}

export interface ScenarioResult {
  scenario: string;
  sent: number;
  acknowledged: number;
  failed: number;
  lost: number;
  convergeMs: number;
  notes?: string;
}

/** One line per scenario, the numbers issue 9's closing note asks for. */
export function report(result: ScenarioResult): void {
  const line =
    `[faults] ${result.scenario}: writes sent ${result.sent}, acknowledged ${result.acknowledged}, ` +
    `failed ${result.failed}, lost ${result.lost}, converged in ${(result.convergeMs / 1000).toFixed(1)} s` +
    (result.notes ? ` (${result.notes})` : "");
  process.stdout.write(`${line}\n`);
}
