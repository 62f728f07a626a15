import type { ComponentChildren } from 'preact';

/** A row's figures, each in its right-aligned cell under a `num` column heading. */
export function FigureCells({ figures }: { figures: readonly ComponentChildren[] }) {
  return (
    <>
      {figures.map((figure, i) => (
        <td key={i} class="num">
          {figure}
        </td>
      ))}
    </>
  );
}
