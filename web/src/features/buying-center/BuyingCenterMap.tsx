/**
 * The buying-center map (Cytoscape): their members grouped by role, sized by influence, coloured by
 * attitude; our covering users below, with a line to each member they cover; the contact network
 * among members as dashed lines. Positions are computed (preset layout) so the picture is stable.
 */
import { useEffect, useMemo, useRef } from 'react';
import cytoscape, { type ElementDefinition } from 'cytoscape';
import { Box, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useVocabLabel } from '../../app/data.ts';
import { NS } from './i18n.ts';

export const ATTITUDE_COLORS: Record<string, string> = {
  champion: '#2f9e44',
  supporter: '#74b816',
  neutral: '#868e96',
  skeptic: '#f08c00',
  blocker: '#e03131',
};

export type MapMember = {
  id: string;
  contactId: string;
  name: string;
  title: string | null;
  roles: string[];
  influence: number;
  attitude: string;
  coverers: { userId: string; name: string; department: string | null; active: boolean }[];
};
export type MapLink = { fromContactId: string; toContactId: string; linkType: string; strength: number };

/** Which role column a member sits in: the most decisive role they hold. */
const PRIORITY = ['decider', 'approver', 'buyer', 'influencer', 'user', 'initiator', 'gatekeeper'];
const primaryRole = (roles: string[]) => [...roles].sort((a, b) => (PRIORITY.indexOf(a) + 100) % 100 - (PRIORITY.indexOf(b) + 100) % 100)[0] ?? '';

const MEMBER_FONT = 13;
/** 13 px × 0.85 ≈ 11 px: the smallest a member's name is drawn. */
const MIN_ZOOM = 0.85;
const MAX_HEIGHT = 900;

export function BuyingCenterMap({ members, links, roleOrder, height = 460, onSelect }: {
  members: MapMember[];
  links: MapLink[];
  roleOrder: string[];
  height?: number;
  onSelect?: (memberId: string) => void;
}) {
  const { t } = useTranslation(NS);
  const vocab = useVocabLabel();
  const ref = useRef<HTMLDivElement>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  const elements = useMemo(() => {
    const els: ElementDefinition[] = [];
    const groups = new Map<string, MapMember[]>();
    for (const m of members) {
      const r = primaryRole(m.roles);
      if (!groups.has(r)) groups.set(r, []);
      groups.get(r)!.push(m);
    }
    const cols = [...roleOrder.filter((r) => groups.has(r)), ...[...groups.keys()].filter((r) => !roleOrder.includes(r))];
    const COL_W = 190;
    const ROW_H = 125;
    let maxRows = 1;
    cols.forEach((role, ci) => {
      const list = groups.get(role)!.sort((a, b) => b.influence - a.influence);
      maxRows = Math.max(maxRows, list.length);
      els.push({ data: { id: `role:${role || 'none'}`, label: role ? vocab('buying_role', role) : '—', kind: 'role' } });
      list.forEach((m, ri) => {
        const extra = m.roles.filter((r) => r !== role).map((r) => vocab('buying_role', r));
        els.push({
          data: {
            id: `m:${m.id}`,
            memberId: m.id,
            parent: `role:${role || 'none'}`,
            kind: 'member',
            label: `${m.name}${m.title ? `\n${m.title}` : ''}${extra.length ? `\n+ ${extra.join(', ')}` : ''}`,
            size: 26 + m.influence * 11,
            color: ATTITUDE_COLORS[m.attitude] ?? '#868e96',
          },
          position: { x: ci * COL_W, y: ri * ROW_H },
        });
      });
    });
    const users = new Map<string, MapMember['coverers'][number]>();
    for (const m of members) for (const c of m.coverers) users.set(c.userId, c);
    const userList = [...users.values()].sort((a, b) => (a.department ?? '').localeCompare(b.department ?? '') || a.name.localeCompare(b.name));
    const width = Math.max(1, cols.length - 1) * COL_W;
    const uy = maxRows * ROW_H + 110;
    userList.forEach((u, i) => {
      const x = userList.length === 1 ? width / 2 : (i * width) / Math.max(1, userList.length - 1);
      els.push({
        data: { id: `u:${u.userId}`, kind: 'user', label: `${u.name}${u.department ? `\n${u.department}` : ''}${u.active ? '' : `\n(${t('members.inactive')})`}`, inactive: u.active ? 0 : 1 },
        position: { x, y: uy },
      });
    });
    for (const m of members) {
      for (const c of m.coverers) els.push({ data: { id: `cov:${c.userId}:${m.id}`, source: `u:${c.userId}`, target: `m:${m.id}`, kind: 'cover', inactive: c.active ? 0 : 1 } });
    }
    const byContact = new Map(members.map((m) => [m.contactId, m.id]));
    links.forEach((l, i) => {
      const a = byContact.get(l.fromContactId);
      const b = byContact.get(l.toContactId);
      if (a && b) els.push({ data: { id: `link:${i}`, source: `m:${a}`, target: `m:${b}`, kind: 'link', label: vocab('contact_link_type', l.linkType), width: 0.5 + l.strength * 0.5 } });
    });
    if (userList.length) els.push({ data: { id: 'ours', kind: 'oursLabel', label: t('map.ourSide') }, position: { x: -COL_W * 0.75, y: uy } });
    return els;
  }, [members, links, roleOrder, vocab, t]);

  useEffect(() => {
    if (!ref.current) return;
    const cy = cytoscape({
      container: ref.current,
      elements,
      layout: { name: 'preset', padding: 30 },
      wheelSensitivity: 0.25,
      boxSelectionEnabled: false,
      autoungrabify: false,
      style: [
        { selector: 'node[kind="role"]', style: { shape: 'round-rectangle', 'background-color': '#f1f3f5', 'border-color': '#ced4da', 'border-width': 1, label: 'data(label)', 'text-valign': 'top', 'text-halign': 'center', 'font-size': 15, 'font-weight': 'bold', color: '#495057', padding: '18px', 'text-margin-y': -4 } },
        { selector: 'node[kind="member"]', style: { width: 'data(size)', height: 'data(size)', 'background-color': 'data(color)', 'border-width': 2, 'border-color': '#fff', label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': '160px', 'font-size': MEMBER_FONT, 'text-valign': 'bottom', 'text-margin-y': 4, color: '#212529' } },
        { selector: 'node[kind="user"]', style: { shape: 'round-rectangle', width: 128, height: 44, 'background-color': '#4c6ef5', label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': '120px', 'font-size': 12, color: '#fff', 'text-valign': 'center', 'text-halign': 'center' } },
        { selector: 'node[kind="user"][inactive = 1]', style: { 'background-color': '#adb5bd' } },
        { selector: 'node[kind="oursLabel"]', style: { shape: 'rectangle', 'background-opacity': 0, width: 1, height: 1, label: 'data(label)', 'font-size': 13, 'font-weight': 'bold', color: '#4c6ef5' } },
        { selector: 'edge[kind="cover"]', style: { width: 1.6, 'line-color': '#748ffc', 'curve-style': 'bezier', opacity: 0.75 } },
        { selector: 'edge[kind="cover"][inactive = 1]', style: { 'line-color': '#ced4da', 'line-style': 'dotted' } },
        { selector: 'edge[kind="link"]', style: { width: 'data(width)', 'line-color': '#adb5bd', 'line-style': 'dashed', 'curve-style': 'unbundled-bezier', label: 'data(label)', 'font-size': 11, color: '#868e96', 'text-background-color': '#fff', 'text-background-opacity': 1 } },
        { selector: 'node:selected', style: { 'border-color': '#1c7ed6', 'border-width': 4 } },
      ],
    });
    cy.on('tap', 'node[kind="member"]', (e) => onSelectRef.current?.(String(e.target.data('memberId'))));
    cy.fit(undefined, 30);
    if (cy.zoom() > 1.2) {
      cy.zoom(1.2);
      cy.center();
    }
    // Fitting a wide map into a narrow tab shrank its 13 px names to 6–7 px. Never zoom out below
    // readable (names ≥ 11 px): grow the box to the map's height and let the rest be panned to.
    if (cy.zoom() < MIN_ZOOM) {
      const box = cy.elements().boundingBox();
      const container = ref.current;
      container.style.height = `${Math.min(MAX_HEIGHT, Math.max(height, Math.ceil(box.h * MIN_ZOOM) + 60))}px`;
      cy.resize();
      cy.zoom(MIN_ZOOM);
      cy.pan({ x: 30 - box.x1 * MIN_ZOOM, y: 30 - box.y1 * MIN_ZOOM });
    }
    ref.current.dataset.labelPx = (MEMBER_FONT * cy.zoom()).toFixed(1);
    return () => cy.destroy();
  }, [elements, height]);

  return (
    <Box>
      <Box ref={ref} h={height} style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, background: '#fff' }} data-testid="buying-center-map" />
      <Group gap="md" mt={6} wrap="wrap">
        {Object.entries(ATTITUDE_COLORS).map(([k, c]) => (
          <Group key={k} gap={4} wrap="nowrap">
            <Box w={10} h={10} style={{ borderRadius: 5, background: c }} />
            <Text size="xs" c="dimmed">{t(`attitude.${k}`)}</Text>
          </Group>
        ))}
        <Text size="xs" c="dimmed">{t('map.legend')}</Text>
      </Group>
    </Box>
  );
}
