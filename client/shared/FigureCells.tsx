import type { ComponentChildren } from 'preact';

/**
 * A row's figures, each in its right-aligned cell under a `num` column heading; `labels`, the headings'
 * names, go on the cells (data-label) for the narrow-screen layout that shows each row as a card.
 */
export function FigureCells({ figures, labels }: { figures: readonly ComponentChildren[]; labels?: readonly string[] }) {
  return (
    <>
      {figures.map((figure, i) => (
        <td key={i} class="num" data-label={labels?.[i]}>
          {figure}
        </td>
      ))}
    </>
  );
}
