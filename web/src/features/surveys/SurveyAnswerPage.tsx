/**
 * The public answer page at /s/<token>: no sign-in, made for a phone, in the recipient's language
 * (switchable), every answer saved as it is given, a thanks page at the end. It shows only the
 * questionnaire and the asking organization's name; nothing here links into the rest of the app.
 * Native radio groups: arrow keys move within a question, Tab to the next one.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Box, Button, Card, Center, Container, Group, Loader, Radio, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconCircleCheck, IconLinkOff } from '@tabler/icons-react';
import { useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api.ts';
import { LANGUAGES, missingItems, type Item, type Language, type Values } from '../../../../src/features/surveys/rules.ts';
import type { PublicSurvey } from './data.ts';
import { NS } from './i18n.ts';

const DK = 'dk';
type Problem = 'notFound' | 'expired' | 'closed' | 'outdated' | 'error';

function ScoreQuestion({ item, n, total, lang, value, onChange, missing }: { item: Item; n: number; total: number; lang: Language; value: number | null | undefined; onChange: (v: number | null) => void; missing: boolean }) {
  const { t } = useTranslation(NS);
  const satisfied = item.kind === 'score10' && item.role === 'satisfaction';
  return (
    <Card withBorder padding="md" data-testid={`q-${item.id}`} style={missing ? { borderColor: 'var(--mantine-color-orange-6)' } : undefined}>
      <Radio.Group
        value={value === undefined ? null : value === null ? DK : String(value)}
        onChange={(v) => onChange(v === DK ? null : Number(v))}
        label={<Text fw={600} size="md">{item.text[lang]}</Text>}
        description={t('answer.question', { n, total })}
      >
        {item.kind === 'score10' ? (
          <>
            <Box mt="sm" style={{ display: 'grid', gridTemplateColumns: 'repeat(11, minmax(0, 1fr))', gap: 2 }}>
              {Array.from({ length: 11 }, (_, k) => (
                <Radio key={k} value={String(k)} label={k} aria-label={String(k)} styles={{ body: { flexDirection: 'column', alignItems: 'center', gap: 2 }, labelWrapper: { width: '100%', textAlign: 'center' }, label: { padding: 0, fontSize: 12 } }} />
              ))}
            </Box>
            <Group justify="space-between" mt={4}>
              <Text size="xs" c="dimmed">{satisfied ? t('answer.notSatisfied') : t('answer.notLikely')}</Text>
              <Text size="xs" c="dimmed">{satisfied ? t('answer.verySatisfied') : t('answer.veryLikely')}</Text>
            </Group>
          </>
        ) : (
          <Stack gap={8} mt="sm">
            {[1, 2, 3, 4, 5].map((k) => <Radio key={k} value={String(k)} label={t(`answer.agree.${k}`)} />)}
            <Radio value={DK} label={t('answer.dontKnow')} c="dimmed" />
          </Stack>
        )}
      </Radio.Group>
    </Card>
  );
}

export default function SurveyAnswerPage() {
  const { token = '' } = useParams();
  const { t, i18n } = useTranslation(NS);
  const [survey, setSurvey] = useState<PublicSurvey | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [values, setValues] = useState<Values>({});
  const [comment, setComment] = useState('');
  const [lang, setLang] = useState<Language>('en');
  const [saving, setSaving] = useState(0);
  const [savedOnce, setSavedOnce] = useState(false);
  const [missing, setMissing] = useState<string[]>([]);
  const [done, setDone] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const first = useRef(true);

  const fail = (e: unknown) => {
    if (e instanceof ApiError) setProblem(e.status === 404 ? 'notFound' : e.code === 'expired' ? 'expired' : e.code === 'closed' ? 'closed' : e.code === 'outdated' ? 'outdated' : 'error');
    else setProblem('error');
  };

  useEffect(() => {
    api<PublicSurvey>(`/public/surveys/${encodeURIComponent(token)}`, { noAuthRedirect: true })
      .then((s) => {
        setSurvey(s);
        setValues(s.answers);
        setComment(s.comment ?? '');
        setLang(s.language);
        setDone(s.state === 'completed');
      })
      .catch(fail);
  }, [token]);

  // The page speaks the recipient's language (and the buttons and labels follow a switch).
  useEffect(() => {
    if (first.current && !survey) return;
    first.current = false;
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
  }, [lang, survey, i18n]);

  const save = async (body: Record<string, unknown>) => {
    setSaving((n) => n + 1);
    try {
      return await api<{ state: 'open' | 'completed'; missing: string[] }>(`/public/surveys/${encodeURIComponent(token)}/answer`, { method: 'PUT', body: { ...body, language: lang }, noAuthRedirect: true });
    } finally {
      setSaving((n) => n - 1);
      setSavedOnce(true);
    }
  };

  const answer = (id: string, v: number | null) => {
    setValues((x) => ({ ...x, [id]: v }));
    setMissing((m) => m.filter((x) => x !== id));
    save({ answers: { [id]: v } }).catch(fail);
  };

  const submit = async () => {
    if (!survey) return;
    const open = missingItems(survey.items, values);
    if (open.length) {
      setMissing(open);
      document.querySelector<HTMLElement>(`[data-testid="q-${open[0]}"] input`)?.focus();
      return;
    }
    setSubmitting(true);
    try {
      const r = await save({ answers: values, comment: comment || null, complete: true });
      if (r.state === 'completed') setDone(true);
      else setMissing(r.missing);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'incomplete') setMissing(e.fields.map((f) => f.path.replace(/^answers\./, '')));
      else fail(e);
    } finally {
      setSubmitting(false);
    }
  };

  const frame = (body: React.ReactNode) => (
    <Box bg="gray.0" mih="100vh" py="lg">
      <Container size={560} px="sm">{body}</Container>
    </Box>
  );

  if (problem) {
    const title = { notFound: t('answer.notFoundTitle'), expired: t('answer.expiredTitle'), closed: t('answer.closedTitle'), outdated: t('answer.outdatedTitle'), error: t('answer.errorTitle') }[problem];
    const text = problem === 'notFound' ? t('answer.notFoundText') : problem === 'expired' ? t('answer.expiredText') : problem === 'outdated' ? t('answer.outdatedText') : '';
    return frame(
      <Card withBorder padding="xl" data-testid="survey-problem" data-problem={problem}>
        <Stack align="center" ta="center"><IconLinkOff size={40} color="var(--mantine-color-gray-6)" /><Title order={3}>{title}</Title>{text && <Text c="dimmed">{text}</Text>}</Stack>
      </Card>,
    );
  }
  if (!survey) return <Center h="100vh"><Loader /></Center>;

  const langSwitch = (
    <SegmentedControl size="xs" value={lang} onChange={(v) => setLang(v as Language)} aria-label={t('answer.languageLabel')} data-testid="survey-lang"
      data={LANGUAGES.map((l) => ({ value: l, label: l === 'en' ? 'EN' : l === 'zh-CN' ? '简' : '繁' }))} />
  );
  if (done) {
    return frame(
      <Stack>
        <Group justify="flex-end">{langSwitch}</Group>
        <Card withBorder padding="xl" data-testid="survey-thanks">
          <Stack align="center" ta="center"><IconCircleCheck size={48} color="var(--mantine-color-teal-6)" /><Title order={2}>{t('answer.thanksTitle')}</Title><Text>{t('answer.thanksText', { org: survey.orgName })}</Text></Stack>
        </Card>
      </Stack>,
    );
  }
  const scored = survey.items.filter((i) => i.kind !== 'text');
  const numbered = new Map(scored.map((it, k) => [it.id, k + 1]));
  const section = (title: string, items: Item[]) => items.length > 0 && (
    <Stack gap="sm">
      <Title order={4} mt="sm">{title}</Title>
      {items.map((it) => <ScoreQuestion key={it.id} item={it} n={numbered.get(it.id)!} total={scored.length} lang={lang} value={values[it.id]} onChange={(v) => answer(it.id, v)} missing={missing.includes(it.id)} />)}
    </Stack>
  );
  const textItem = survey.items.find((i) => i.kind === 'text');
  return frame(
    <Stack gap="md" data-testid="survey-answer">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Text size="sm" c="dimmed">{survey.orgName}</Text>
          <Title order={2} size="h3">{survey.surveyName}</Title>
        </div>
        {langSwitch}
      </Group>
      <Text size="sm">{t('answer.asks', { org: survey.orgName })}. {t('answer.intro')}</Text>
      {section(t('answer.rational'), survey.items.filter((i) => i.kind === 'score10'))}
      {section(t('answer.emotional'), survey.items.filter((i) => i.kind === 'agree5'))}
      {textItem && (
        <Card withBorder padding="md">
          <Textarea label={<Text fw={600}>{textItem.text[lang]}</Text>} placeholder={t('answer.commentPlaceholder')} autosize minRows={3} maxLength={5000}
            value={comment} onChange={(e) => setComment(e.currentTarget.value)} onBlur={() => save({ comment: comment || null }).catch(fail)} data-testid="survey-comment" />
        </Card>
      )}
      {missing.length > 0 && <Alert color="orange" data-testid="survey-missing">{t('answer.missing', { count: missing.length })}</Alert>}
      <Group justify="space-between">
        <Text size="xs" c="dimmed" aria-live="polite">{saving > 0 ? t('answer.saving') : savedOnce ? t('answer.saved') : ''}</Text>
        <Button size="md" onClick={submit} loading={submitting} data-testid="survey-submit">{t('answer.submit')}</Button>
      </Group>
    </Stack>,
  );
}
