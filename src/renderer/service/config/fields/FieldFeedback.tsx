// What a field shows under its input for the diagnostics at its key: errors in red with an
// error icon, warnings in orange with a warning icon and the word "Warning", so that a
// warning (the config still signs) never looks like an error (it does not).
import { IconAlertCircle, IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Diagnostic } from '../../../../shared/diagnostics';
import { DocText } from '../../../common/DocText';
import classes from './FieldFeedback.module.css';

export interface FieldFeedback {
  /** For Mantine's `error` prop: undefined when the key has no diagnostic. */
  error: ReactNode | undefined;
  /** For the input's root: turns the error colour into the warning colour. */
  className: string | undefined;
  severity: 'error' | 'warning' | undefined;
}

export function fieldFeedback(problems: readonly Diagnostic[]): FieldFeedback {
  if (problems.length === 0) return { error: undefined, className: undefined, severity: undefined };
  const errors = problems.filter((d) => d.severity === 'error');
  const warnings = problems.filter((d) => d.severity !== 'error');
  const severity = errors.length ? 'error' : 'warning';
  const error = (
    <span data-severity={severity} data-testid="field-feedback">
      {errors.length > 0 && (
        <span>
          <IconAlertCircle size={14} className={classes.icon} aria-hidden />
          {errors.map((d, i) => (
            <span key={i}>
              {i > 0 && ' · '}
              <DocText text={d.message} />
            </span>
          ))}
        </span>
      )}
      {errors.length > 0 && warnings.length > 0 && ' · '}
      {warnings.length > 0 && (
        <span>
          <IconAlertTriangle size={14} className={classes.icon} aria-hidden />
          {'Warning: '}
          {warnings.map((d, i) => (
            <span key={i}>
              {i > 0 && ' · '}
              <DocText text={d.message} />
            </span>
          ))}
        </span>
      )}
    </span>
  );
  return { error, className: severity === 'warning' ? classes.warning : undefined, severity };
}
