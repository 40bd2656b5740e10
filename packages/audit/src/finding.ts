/** One thing that outlived what it refers to: a row or a file. */
export interface Finding {
  /** Where it lives: `<schema>.<table>`, or `blobs` for image files. */
  place: string;
  /** Which row or file: its key columns, or the file's path under the blob directory. */
  item: string;
  /** What it refers to that is gone. */
  problem: string;
}

/** One line per finding, as the CLI prints it. */
export function describeFinding(finding: Finding): string {
  return `${finding.place} ${finding.item}: ${finding.problem}`;
}
