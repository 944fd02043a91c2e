import { Component, type ReactNode } from 'react';
import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { withTranslation, type WithTranslation } from 'react-i18next';

type Props = WithTranslation & { children: ReactNode; resetKey?: unknown };
type State = { error: Error | null };

/** Catches render errors of one screen and offers a retry instead of a blank page. */
class ErrorBoundaryInner extends Component<Props, State> {
  override state: State = { error: null };
  static getDerivedStateFromError(error: Error): State {
    return { error };
  }
  override componentDidUpdate(prev: Props) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }
  override render() {
    const { t } = this.props;
    if (!this.state.error) return this.props.children;
    return (
      <Alert color="red" icon={<IconAlertTriangle />} title={t('error.title')} m="md" role="alert">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{this.state.error.message}</Text>
          <Button size="xs" variant="light" color="red" onClick={() => this.setState({ error: null })}>
            {t('common.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
}
export const ErrorBoundary = withTranslation()(ErrorBoundaryInner);

export function QueryError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return <QueryErrorInner error={error} onRetry={onRetry} />;
}
function QueryErrorInnerBase({ error, onRetry, t }: { error: unknown; onRetry: () => void } & WithTranslation) {
  return (
    <Alert color="red" icon={<IconAlertTriangle />} title={t('error.load')} role="alert">
      <Stack gap="sm" align="flex-start">
        <Text size="sm">{error instanceof Error ? error.message : String(error)}</Text>
        <Button size="xs" variant="light" color="red" onClick={onRetry}>{t('common.retry')}</Button>
      </Stack>
    </Alert>
  );
}
const QueryErrorInner = withTranslation()(QueryErrorInnerBase);
