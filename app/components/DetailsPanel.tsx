import type { ReactNode } from 'react';

/**
 * An item opened from a list or grid (a ranked image, a result card): shown below it, a picture beside its
 * facts, and Escape anywhere inside closes it (the list gives focus back to the item).
 */
export function DetailsPanel(props: { id: string; className: string; testId: string; name: string; label: string; onClose(): void; children: ReactNode }) {
  return (
    <section
      id={props.id}
      className={`details-panel ${props.className}`}
      data-testid={props.testId}
      data-name={props.name}
      aria-label={props.label}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
    >
      {props.children}
    </section>
  );
}
