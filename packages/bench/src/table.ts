/** A plain-text table: the first column left-aligned, the others right-aligned, a rule under the header. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]): string =>
    widths
      .map((width, column) => {
        const cell = cells[column] ?? "";
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

/** A number with a fixed count of decimals, "—" when there is none. */
export function fixed(value: number | undefined, decimals = 1): string {
  return value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(decimals);
}

/** A ratio as "×2.35", "—" when there is none. */
export function times(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "—" : `×${value.toFixed(2)}`;
}
