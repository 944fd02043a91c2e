import { cloneElement, useEffect, useRef, useState, type MouseEvent, type ReactElement, type ReactNode } from 'react';
import { HoverCard, type FloatingPosition } from '@mantine/core';

type TargetProps = { onMouseEnter?: (e: MouseEvent) => void; onMouseLeave?: (e: MouseEvent) => void };

/**
 * A HoverCard that costs nothing until it is first hovered. Badges with a "why" card sit in every
 * row of a list; a HoverCard per cell (popover context, floating-ui position state, ids) made the
 * first rows appear noticeably later. Until the pointer rests on the target for `openDelay`, only the
 * target is rendered; then the real HoverCard takes over, already open, and behaves as usual.
 */
export function LazyHoverCard({ target, dropdown, width, openDelay = 150, position = 'bottom-start' }: {
  target: ReactElement<TargetProps>;
  /** Called only once the card opens. */
  dropdown: () => ReactNode;
  width?: number;
  openDelay?: number;
  position?: FloatingPosition;
}) {
  const [armed, setArmed] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  if (!armed) {
    return cloneElement(target, {
      'aria-haspopup': 'dialog',
      onMouseEnter: (e: MouseEvent) => {
        target.props.onMouseEnter?.(e);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setArmed(true), openDelay);
      },
      onMouseLeave: (e: MouseEvent) => {
        target.props.onMouseLeave?.(e);
        clearTimeout(timer.current);
      },
    } as TargetProps);
  }
  return (
    <HoverCard width={width} shadow="md" withinPortal openDelay={openDelay} position={position} initiallyOpened>
      <HoverCard.Target>{target}</HoverCard.Target>
      <HoverCard.Dropdown>{dropdown()}</HoverCard.Dropdown>
    </HoverCard>
  );
}
