import { Skeleton, Stack, Group } from '@mantine/core';

export function PageSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <Stack gap="sm" p="md" aria-busy="true">
      <Group><Skeleton h={28} w={220} /><Skeleton h={28} w={120} ml="auto" /></Group>
      <Skeleton h={36} />
      {Array.from({ length: rows }, (_, i) => <Skeleton key={i} h={30} opacity={1 - i * 0.08} />)}
    </Stack>
  );
}
