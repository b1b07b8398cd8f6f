import { splitCommand, toEntrypointCmd } from '../../../src/main/core/oci';

describe('splitCommand (shell-like, as Python shlex.split)', () => {
  it('splits on whitespace', () => {
    expect(splitCommand('python3 -u /ramservice/ram_service.py -m 180')).toEqual({
      ok: true,
      tokens: ['python3', '-u', '/ramservice/ram_service.py', '-m', '180'],
    });
  });

  it('honours single and double quotes and backslashes', () => {
    expect(splitCommand(`run "a b" 'c "d"' e\\ f "x\\"y" 'no\\escape'`)).toEqual({
      ok: true,
      tokens: ['run', 'a b', 'c "d"', 'e f', 'x"y', 'no\\escape'],
    });
  });

  it('joins quoted parts glued to a word and keeps empty quoted tokens', () => {
    expect(splitCommand(`--name="my app" '' x`)).toEqual({ ok: true, tokens: ['--name=my app', '', 'x'] });
  });

  it('refuses an unclosed quote', () => {
    const r = splitCommand('python3 "oops');
    expect(r.ok).toBe(false);
  });

  it('Entrypoint is the first token, Cmd the rest', () => {
    expect(toEntrypointCmd(['python3', '-u', 'x.py'])).toEqual({ entrypoint: ['python3'], cmd: ['-u', 'x.py'] });
    expect(toEntrypointCmd(['helloworld_xen-arm64'])).toEqual({ entrypoint: ['helloworld_xen-arm64'], cmd: [] });
  });
});
