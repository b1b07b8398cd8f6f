import { Code, Table, Text } from '@mantine/core';
import { ARCHITECTURES, DEFAULT_PKCS12, targetDir, type NewServiceValues } from './wizard-form';

export function ReviewStep({ values }: { values: NewServiceValues }) {
  const rows: [string, React.ReactNode][] = [
    ['Service folder', <Code key="dir">{targetDir(values)}</Code>],
    ['Start command', <Code key="cmd">{values.cmd}</Code>],
    ['Working directory', <Code key="wd">{values.workingDir}</Code>],
    ['Architecture', ARCHITECTURES.find((a) => a.value === values.arch)?.label ?? values.arch],
    [
      'Certificate',
      values.pkcs12Path ? (
        <Code key="p12">{values.pkcs12Path}</Code>
      ) : (
        <Text key="p12" size="sm">
          <Code>{DEFAULT_PKCS12}</Code> (template default, looked up in meta/ and ~/.aos/security/)
        </Text>
      ),
    ],
  ];
  return (
    <>
      <Text size="sm" c="dimmed" mb="sm">
        Check the details, then create the service. You can change everything later in the config.
      </Text>
      <Table withTableBorder variant="vertical" aria-label="Summary">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={180}>{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
