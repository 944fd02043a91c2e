/**
 * A file drop area on react-dropzone, with the same shape as @mantine/dropzone's (Accept / Reject /
 * Idle children). @mantine/dropzone 9.6+ requires Node 22 (it pins react-dropzone 20), and Accord
 * supports Node 20: react-dropzone 19 is the same library one major earlier, declared for Node 20.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useDropzone, type Accept } from 'react-dropzone';

type DropState = 'idle' | 'accept' | 'reject';
const StateContext = createContext<DropState>('idle');

export interface DropzoneProps {
  onDrop: (files: File[]) => void;
  multiple?: boolean;
  maxSize?: number;
  accept?: Accept;
  children: ReactNode;
  'aria-label'?: string;
  'data-testid'?: string;
}

export function Dropzone({ onDrop, multiple, maxSize, accept, children, ...rest }: DropzoneProps) {
  const { getRootProps, getInputProps, isDragAccept, isDragReject } = useDropzone({
    onDrop: (accepted) => onDrop(accepted),
    ...(multiple !== undefined ? { multiple } : {}),
    ...(maxSize !== undefined ? { maxSize } : {}),
    ...(accept ? { accept } : {}),
  });
  const state: DropState = isDragReject ? 'reject' : isDragAccept ? 'accept' : 'idle';
  const border = state === 'reject' ? 'var(--mantine-color-red-6)' : state === 'accept' ? 'var(--mantine-color-indigo-6)' : 'var(--mantine-color-gray-4)';
  return (
    <StateContext.Provider value={state}>
      <div
        {...getRootProps({
          role: 'button',
          tabIndex: 0,
          'aria-label': rest['aria-label'],
          style: {
            border: `1px dashed ${border}`,
            borderRadius: 'var(--mantine-radius-md)',
            padding: 'var(--mantine-spacing-md)',
            cursor: 'pointer',
            backgroundColor: state === 'idle' ? 'var(--mantine-color-body)' : 'var(--mantine-color-gray-0)',
          },
        })}
        data-testid={rest['data-testid']}
      >
        <input {...getInputProps()} />
        {children}
      </div>
    </StateContext.Provider>
  );
}

function shownIn(when: DropState) {
  return function Part({ children }: { children: ReactNode }) {
    return useContext(StateContext) === when ? <>{children}</> : null;
  };
}

Dropzone.Accept = shownIn('accept');
Dropzone.Reject = shownIn('reject');
Dropzone.Idle = shownIn('idle');
