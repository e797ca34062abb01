import { Component, type ReactNode } from 'react';

interface Props {
  fallback(message: string): ReactNode;
  children: ReactNode;
}

/** A crashed panel shows a message instead of a blank page. */
export class ErrorBoundary extends Component<Props, { message: string | null }> {
  state = { message: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { message: e instanceof Error ? e.message : String(e) };
  }
  render() {
    return this.state.message !== null ? this.props.fallback(this.state.message) : this.props.children;
  }
}
