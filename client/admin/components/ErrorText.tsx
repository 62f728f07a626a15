/**
 * An error message announced to screen readers; renders nothing while there is no message. `inline`
 * for one beside a button or inside a sentence (a span: a paragraph may not sit inside a paragraph).
 */
export function ErrorText({ message, inline = false }: { message: string | null | undefined; inline?: boolean }) {
  if (!message) return null;
  return inline ? (
    <span role="alert" class="error">
      {message}
    </span>
  ) : (
    <p role="alert" class="error">
      {message}
    </p>
  );
}
