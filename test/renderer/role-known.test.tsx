// Where the role was only guessed from the file name (the signer card), the cloud's answer
// (users/me, asked by an account card in this window) replaces the guess.
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { SignerCard } from '../../src/renderer/sign/SignerCard';
import { forgetWhoami, rememberWhoami } from '../../src/renderer/cloud/role-store';
import { renderWithApi } from './render';
import { SUMMARY } from './sign-fixtures';

const FILE = '/home/jane/.aos/security/aos-user-oem.p12';

describe('role from the cloud', () => {
  it('the signer card shows the guess until users/me answered for that file, then the cloud\'s role', async () => {
    forgetWhoami();
    renderWithApi(<SignerCard file={FILE} summary={{ ...SUMMARY, roleGuess: 'OEM (guessed from the file name)' }} />);
    expect(await screen.findByTestId('role-guess')).toHaveTextContent('guessed from the file name');
    // Another file's answer changes nothing.
    act(() => rememberWhoami({ role: 'service provider', host: 'aoscloud.io', base: 'https://aoscloud.io:10000/', source: 'default', credentials: '/other.p12' }));
    expect(screen.getByTestId('role-guess')).toBeInTheDocument();
    act(() => rememberWhoami({ username: 'jane', role: 'service provider', host: 'aoscloud.io', base: 'https://aoscloud.io:10000/', source: 'default', credentials: FILE }));
    expect(screen.getByTestId('role-known')).toHaveTextContent('Service provider');
    expect(screen.queryByTestId('role-guess')).not.toBeInTheDocument();
    expect(screen.getByText('Role (the cloud says)')).toBeInTheDocument();
  });
});
