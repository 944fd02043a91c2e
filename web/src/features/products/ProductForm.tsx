/** Create or edit a product: code, names per language, line, unit, lifecycle, flags, description. */
import { Button, Checkbox, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api.ts';
import { customLabel, useCustomFields, useVocabOptions } from '../../app/data.ts';
import { useSaveProduct, type Product } from './data.ts';
import { NS } from './i18n.ts';

const LIFECYCLES = ['new', 'current', 'phased_out'] as const;

export function ProductForm({ product, opened, onClose, onSaved }: { product?: Product; opened: boolean; onClose: () => void; onSaved?: (p: Product) => void }) {
  const { t, i18n } = useTranslation(NS);
  const lines = useVocabOptions('product_line');
  const specs = useCustomFields('product').data ?? [];
  const [custom, setCustom] = useState<Record<string, unknown>>(() => ({ ...(product?.custom ?? {}) }));
  const save = useSaveProduct();
  const [v, setV] = useState(() => ({
    code: product?.code ?? '', name: product?.name ?? '', zhCN: product?.nameI18n['zh-CN'] ?? '', zhTW: product?.nameI18n['zh-TW'] ?? '',
    productLine: product?.productLine ?? null, unit: product?.unit ?? 'pcs', lifecycle: product?.lifecycle ?? 'current',
    active: product?.active ?? true, firstOfKind: product?.firstOfKind ?? false, description: product?.description ?? '',
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof v) => (val: unknown) => setV((o) => ({ ...o, [k]: val }));
  const submit = async () => {
    setErrors({});
    const nameI18n: Record<string, string> = {};
    if (v.zhCN.trim()) nameI18n['zh-CN'] = v.zhCN.trim();
    if (v.zhTW.trim()) nameI18n['zh-TW'] = v.zhTW.trim();
    const specValues = Object.fromEntries(specs.map((d) => {
      const x = custom[d.key];
      if (x === '' || x === undefined || (Array.isArray(x) && !x.length)) return [d.key, null];
      return [d.key, d.type === 'number' ? Number(x) : x];
    }));
    const body = { custom: specValues, code: v.code, name: v.name, nameI18n, productLine: v.productLine, unit: v.unit, lifecycle: v.lifecycle, active: v.active, firstOfKind: v.firstOfKind, description: v.description.trim() || null };
    try {
      const saved = await save.mutateAsync({ id: product?.id, version: product?.version, body });
      onSaved?.(saved);
      onClose();
    } catch (e) {
      if (e instanceof ApiError) setErrors(Object.fromEntries((e.fields.length ? e.fields : [{ path: 'code', message: e.message }]).map((f) => [f.path, f.code === 'already_exists' ? t('errors.codeTaken') : f.message])));
      else throw e;
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={product ? t('edit') : t('new')} size="lg">
      <Stack gap="sm" data-testid="product-form">
        <SimpleGrid cols={2}>
          <TextInput label={t('field.code')} required value={v.code} onChange={(e) => set('code')(e.currentTarget.value)} error={errors.code} data-autofocus name="code" />
          <TextInput label={t('field.unit')} required value={v.unit} onChange={(e) => set('unit')(e.currentTarget.value)} error={errors.unit} name="unit" />
        </SimpleGrid>
        <TextInput label={t('field.name')} required value={v.name} onChange={(e) => set('name')(e.currentTarget.value)} error={errors.name} name="name" />
        <SimpleGrid cols={2}>
          <TextInput label={t('field.nameZhCN')} value={v.zhCN} onChange={(e) => set('zhCN')(e.currentTarget.value)} name="nameZhCN" />
          <TextInput label={t('field.nameZhTW')} value={v.zhTW} onChange={(e) => set('zhTW')(e.currentTarget.value)} name="nameZhTW" />
        </SimpleGrid>
        <SimpleGrid cols={2}>
          <Select label={t('field.productLine')} data={lines} value={v.productLine} onChange={set('productLine')} clearable error={errors.productLine} comboboxProps={{ withinPortal: true }} />
          <Select label={t('field.lifecycle')} data={LIFECYCLES.map((l) => ({ value: l, label: t(`lifecycle.${l}`) }))} value={v.lifecycle} onChange={(x) => x && set('lifecycle')(x)} comboboxProps={{ withinPortal: true }} />
        </SimpleGrid>
        <Group>
          <Checkbox label={t('field.active')} checked={v.active} onChange={(e) => set('active')(e.currentTarget.checked)} />
          <Checkbox label={t('field.firstOfKind')} checked={v.firstOfKind} onChange={(e) => set('firstOfKind')(e.currentTarget.checked)} />
        </Group>
        {specs.length > 0 && <Text size="sm" fw={600}>{t('specs')}</Text>}
        <SimpleGrid cols={2}>
          {specs.map((d) => {
            const label = customLabel(d.label, i18n.language, d.key);
            const value = custom[d.key];
            const put = (x: unknown) => setCustom((c) => ({ ...c, [d.key]: x }));
            if (d.type === 'multiselect') return <MultiSelect key={d.key} label={label} data={d.options ?? []} value={Array.isArray(value) ? (value as string[]) : []} onChange={put} error={errors[`custom.${d.key}`]} comboboxProps={{ withinPortal: true }} />;
            if (d.type === 'select') return <Select key={d.key} label={label} data={d.options ?? []} value={(value as string | undefined) ?? null} onChange={put} clearable error={errors[`custom.${d.key}`]} comboboxProps={{ withinPortal: true }} />;
            return <TextInput key={d.key} label={label} value={value == null ? '' : String(value)} onChange={(e) => put(e.currentTarget.value)} error={errors[`custom.${d.key}`]} />;
          })}
        </SimpleGrid>
        <Textarea label={t('field.description')} autosize minRows={2} value={v.description} onChange={(e) => set('description')(e.currentTarget.value)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('cancel')}</Button>
          <Button onClick={() => void submit()} loading={save.isPending} data-testid="product-save">{t('save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
