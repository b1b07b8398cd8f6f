// One way to tell the user that something failed or worked.
import { notifications } from '@mantine/notifications';
import { errorOf } from '../api/errors';

export function notifyError(title: string, err: unknown): void {
  const error = errorOf(err);
  const where = error.location ? ` (${error.location.file}${error.location.line ? `:${error.location.line}` : ''})` : '';
  notifications.show({ color: 'red', title, message: error.message + where, autoClose: 8000 });
}

export function notifySuccess(title: string, message?: string): void {
  notifications.show({ color: 'teal', title, message: message ?? '', autoClose: 2500 });
}
